/**
 * A deployment's own recordings of listen prompts (docs/listening.md, "A
 * deployment's own recordings"; docs/protocol.md "v2: recorded prompts").
 *
 *   PUT  /api/prompts/:lang/:clip           raw Ogg Opus; the administrator's signature in X-Ombud-Prompt-Signature
 *   POST /api/prompts/:lang/:clip/remove    back to the built clip
 *   GET  /api/prompts/:lang                 the recordings of a language, with their signatures (public)
 *   GET  /api/prompt-audio/:lang/:sha256    the bytes, immutable (the URL names their hash)
 *
 * Deployment administrators only (server/auth/policy.ts). Refused with
 * nothing written, in this order: a clip that the built manifest of the
 * language does not list, or that is a day, count or digit piece
 * (`prompt_unknown_key`); a body over the limit, refused from its declared
 * length before it is read (`prompt_too_large`); anything but one whole Ogg
 * Opus stream (`prompt_not_audio`, `prompt_too_long`: common/prompt-audio.ts);
 * a signature that is not the signing administrator's own key over this
 * language, clip and hash (`prompt_bad_signature`). The row and its audit
 * event are written in one transaction. The server's check of the signature
 * only keeps mistakes out: the worker's page checks it again against the
 * recovery keys its link pins (client/lib/listen-recorded.ts), because a
 * server that lies would skip this one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PROMPT_SIGNATURE_HEADER, PROMPT_SIGNATURE_MAX_CHARS, PromptAudioParams, PromptLangParams, PromptParams, RECORDED_CLIP, RecordedPrompts,
} from '../../common/api.ts';
import type { PromptManifest } from '../../common/listen.ts';
import { inspectPromptAudio, PROMPT_MAX_BYTES } from '../../common/prompt-audio.ts';
import { verifyPrompt } from '../../crypto/index.ts';
import { assertDeploymentAdmin } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { readBody } from '../reporter/read-body.ts';
import { defineRoute, type Route } from '../routing/route.ts';

/** The pieces that say values stay built: a recording never says a day, a count or a case number. */
const VALUE_PIECE = /^(date|count|digit)\./;

export function promptRoutes(ctx: AppContext): Route[] {
  const { repos, audit } = ctx;
  const manifests = new Map<string, PromptManifest | null>();
  /** The built manifest of a language (read once): the clips a recording may replace. */
  const builtClips = (lang: string): Record<string, string> | undefined => {
    if (!manifests.has(lang)) {
      try {
        manifests.set(lang, JSON.parse(readFileSync(join(ctx.config.clientDir, `listen-${lang}.json`), 'utf8')) as PromptManifest);
      } catch {
        manifests.set(lang, null);
      }
    }
    return manifests.get(lang)?.clips;
  };
  const assertKnown = (lang: string, clip: string) => {
    const clips = builtClips(lang);
    if (!clips || !RECORDED_CLIP.test(clip) || VALUE_PIECE.test(clip) || !Object.hasOwn(clips, clip)) {
      throw new HttpError(404, 'prompt_unknown_key', 'no built prompt of this language has this id (days, counts and digits cannot be replaced)');
    }
  };
  const audioUrl = (lang: string, sha256: string) => `/api/prompt-audio/${encodeURIComponent(lang)}/${sha256}`;

  return [
    defineRoute({
      method: 'get', path: '/api/prompts/:lang', summary: "A language's recorded prompts, each signed by an administrator", tag: 'prompts',
      auth: 'public', params: PromptLangParams, response: RecordedPrompts, status: 200,
      handler: ({ params }) => ({
        lang: params.lang,
        recordings: repos.prompts.ofLang(params.lang).map((r) => ({
          clip: r.clip, sha256: r.sha256, signature: r.signature, signerKey: r.signerKey, url: audioUrl(r.lang, r.sha256), savedAt: r.savedAt,
        })),
      }),
    }),
    defineRoute({
      method: 'get', path: '/api/prompt-audio/:lang/:sha256', summary: 'The bytes of a recorded prompt (immutable)', tag: 'prompts',
      auth: 'public', params: PromptAudioParams, response: null, status: 200, produces: 'octet-stream',
      handler: ({ params, res }) => {
        const bytes = repos.prompts.audio(params.lang, params.sha256);
        if (!bytes) throw new HttpError(404, 'prompt_not_found', 'no recording with this hash');
        // The URL names the bytes' hash: they never change, as the built clips under /assets/ never do.
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        return bytes;
      },
    }),
    defineRoute({
      method: 'put', path: '/api/prompts/:lang/:clip', summary: 'Replace a listen prompt by a signed recording (deployment administrators)',
      tag: 'prompts', auth: 'investigator', params: PromptParams, consumes: 'octet-stream', response: null, status: 204,
      errorCodes: ['deployment_admin_only', 'upload_stalled', 'upload_too_slow'],
      handler: async ({ session, params, req }) => {
        assertDeploymentAdmin(session);
        assertKnown(params.lang, params.clip);
        const header = req.headers[PROMPT_SIGNATURE_HEADER];
        if (typeof header !== 'string' || header.length === 0 || header.length > PROMPT_SIGNATURE_MAX_CHARS) {
          throw new HttpError(400, 'prompt_bad_signature', 'send the signature of the recording in X-Ombud-Prompt-Signature');
        }
        let bytes: Uint8Array;
        try {
          bytes = await readBody(req, PROMPT_MAX_BYTES);
        } catch (error) {
          if (error instanceof HttpError && error.code === 'body_too_large') {
            throw new HttpError(413, 'prompt_too_large', `a recording may hold at most ${PROMPT_MAX_BYTES} bytes`);
          }
          throw error;
        }
        const inspected = inspectPromptAudio(bytes);
        if (!inspected.ok && inspected.code === 'prompt_too_large') throw new HttpError(413, 'prompt_too_large', `not accepted: ${inspected.reason}`);
        if (!inspected.ok && inspected.code === 'prompt_too_long') throw new HttpError(400, 'prompt_too_long', `not accepted: ${inspected.reason}`);
        if (!inspected.ok) throw new HttpError(415, 'prompt_not_audio', `not accepted as Ogg Opus: ${inspected.reason}`);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const signature = Buffer.from(header, 'base64').toString('utf8');
        const signerKey = session.investigator.publicKey;
        if (!(await verifyPrompt({ lang: params.lang, clip: params.clip, sha256, signature, publicKey: signerKey }))) {
          throw new HttpError(400, 'prompt_bad_signature', 'the signature is not yours over this language, prompt and recording');
        }
        repos.transaction(() => {
          repos.prompts.put({
            lang: params.lang, clip: params.clip, sha256, audio: bytes, signature, signerKey,
            investigatorId: session.investigator.id, savedAt: ctx.clock.now(),
          });
          audit.investigator('prompt.recorded', session.investigator.id, null, { lang: params.lang, clip: params.clip, sha256 });
        });
      },
    }),
    defineRoute({
      method: 'post', path: '/api/prompts/:lang/:clip/remove', summary: 'Back to the built clip (deployment administrators)', tag: 'prompts',
      auth: 'investigator', params: PromptParams, response: null, status: 204, errorCodes: ['deployment_admin_only'],
      handler: ({ session, params }) => {
        assertDeploymentAdmin(session);
        assertKnown(params.lang, params.clip);
        repos.transaction(() => {
          if (!repos.prompts.remove(params.lang, params.clip)) throw new HttpError(404, 'prompt_not_found', 'this prompt has no recording');
          audit.investigator('prompt.removed', session.investigator.id, null, { lang: params.lang, clip: params.clip });
        });
      },
    }),
  ];
}
