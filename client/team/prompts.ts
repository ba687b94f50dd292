/**
 * A deployment's own recordings of the listen prompts, for deployment
 * administrators (a section of #/channels). The administrator picks a
 * language and a text (shown as workers read it), records it here or picks
 * a file, hears it, and saves; or removes a recording, back to the built
 * voice.
 *
 * Before anything is sent, this browser makes it Ogg Opus (Chromium records
 * WebM/Opus only: ../voice/webm-ogg.ts copies the packets into Ogg pages),
 * runs the server's own check on it (common/prompt-audio.ts) and signs
 * (lang, clip, SHA-256 of the bytes) with the administrator's investigator
 * key. The worker's page plays it only if that signature holds and the key
 * is certified by a recovery key its link pins (client/lib/listen-recorded.ts).
 *
 * Test hooks: #prompts-section, #prompts-lang, #prompts-clip, #prompts-record,
 * #prompts-stop, #prompts-file, #prompts-preview, #prompts-save,
 * #prompts-remove, #prompts-status (data-code on a refusal), #prompts-state.
 */
import { PROMPT_SIGNATURE_HEADER, type RecordedPrompts } from '../../common/api.ts';
import { LISTEN_VOICES, segments, textPieces, type PromptManifest } from '../../common/listen.ts';
import { inspectPromptAudio } from '../../common/prompt-audio.ts';
import { teamGet, teamPost, teamPutBytes } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { isDeploymentAdmin, withKey } from '../accounts/keyring.ts';
import { WORKER_LANGUAGE_NAMES } from '../i18n/language-names.ts';
import { WORKER_CATALOGS } from '../i18n/worker-catalogs.ts';
import { t, teamI18n, tr, type TeamMessageKey } from '../i18n/team.ts';
import type { WorkerLanguageCode } from '../../common/limits.ts';
import { ApiError } from '../lib/api.ts';
import { loadCrypto } from '../lib/crypto.ts';
import { sha256Hex } from '../lib/sha256.ts';
import { byId, h, show } from '../lib/dom.ts';
import { startRecording, type Recording } from '../voice/capture.ts';
import { webmOpusToOgg } from '../voice/webm-ogg.ts';

const REFUSALS = new Set(['prompt_not_audio', 'prompt_too_large', 'prompt_too_long', 'prompt_unknown_key', 'prompt_bad_signature', 'prompt_not_found']);
/** 32 kbit/s: three minutes stay under the 1 MiB limit, and speech stays clear. */
const BITRATE = 32_000;

let audio: Uint8Array | undefined;
let recording: Recording | undefined;
let recorded: RecordedPrompts['recordings'] = [];

function say(key: TeamMessageKey, code?: string, vars?: Record<string, string>): void {
  const status = byId('prompts-status');
  tr(status, key, vars);
  if (code) status.dataset.code = code;
  else delete status.dataset.code;
  status.classList.toggle('warn', code !== undefined);
}

function refuse(code: string): void {
  say(`prompts.error.${code}` as TeamMessageKey, code);
}

function failed(error: unknown): void {
  if (error instanceof ApiError && REFUSALS.has(error.code)) return refuse(error.code);
  const status = byId('prompts-status');
  status.textContent = problem(error);
  status.dataset.code = error instanceof ApiError ? error.code : 'failed';
}

export function mountPrompts(): void {
  const heading = h('h2', { id: 'prompts-heading' });
  tr(heading, 'prompts.heading');
  const intro = h('p', { class: 'muted' });
  tr(intro, 'prompts.intro');
  const langLabel = h('label', { attrs: { for: 'prompts-lang' } });
  tr(langLabel, 'prompts.language');
  const clipLabel = h('label', { attrs: { for: 'prompts-clip' } });
  tr(clipLabel, 'prompts.prompt');
  const button = (id: string, key: TeamMessageKey, primary = false) => {
    const b = h('button', { id, class: primary ? 'btn primary' : 'btn', attrs: { type: 'button' } });
    tr(b, key);
    return b;
  };
  const fileLabel = h('label', { attrs: { for: 'prompts-file' } });
  tr(fileLabel, 'prompts.file');
  const section = h('section', { id: 'prompts-section', class: 'work-panel', attrs: { 'aria-labelledby': 'prompts-heading', hidden: '' } },
    heading, intro,
    h('p', {}, langLabel, h('select', { id: 'prompts-lang' })),
    h('p', {}, clipLabel, h('select', { id: 'prompts-clip' })),
    h('p', { id: 'prompts-state', class: 'muted', attrs: { role: 'status' } }),
    h('div', { class: 'button-row' }, button('prompts-record', 'prompts.record'), button('prompts-stop', 'prompts.stop'), button('prompts-remove', 'prompts.remove')),
    h('p', {}, fileLabel, h('input', { id: 'prompts-file', attrs: { type: 'file', accept: 'audio/ogg,audio/webm,.opus,.ogg,.webm' } })),
    h('audio', { id: 'prompts-preview', attrs: { controls: '', hidden: '' } }),
    h('div', { class: 'button-row' }, button('prompts-save', 'prompts.save', true)),
    h('p', { id: 'prompts-status', attrs: { role: 'status' } }),
  );
  byId('channels-view').append(section);
  byId('prompts-lang').addEventListener('change', () => void showLanguage());
  byId('prompts-clip').addEventListener('change', showState);
  byId('prompts-record').addEventListener('click', () => void record());
  byId('prompts-stop').addEventListener('click', () => recording?.stop());
  byId('prompts-file').addEventListener('change', () => void fromFile());
  byId('prompts-save').addEventListener('click', () => void save());
  byId('prompts-remove').addEventListener('click', () => void remove());
}

/** With the channels view: the languages that have built text clips. */
export async function showPrompts(): Promise<void> {
  const section = byId('prompts-section');
  show(section, isDeploymentAdmin());
  if (!isDeploymentAdmin()) return;
  const select = byId<HTMLSelectElement>('prompts-lang');
  if (select.options.length > 0) return showLanguage();
  const langs = Object.entries(LISTEN_VOICES).filter(([lang, spec]) => spec.scope === 'all' && Object.hasOwn(WORKER_CATALOGS, lang)).map(([lang]) => lang);
  // Each language by its own name, marked as that language (a screen reader says it so; it is not the workspace's).
  select.replaceChildren(...langs.map((lang) => h('option', { text: WORKER_LANGUAGE_NAMES[lang as WorkerLanguageCode] ?? lang, attrs: { value: lang, lang } })));
  // The workspace's own language first, when its texts are voiced: the administrator reads what they record.
  if (langs.includes(teamI18n.lang())) select.value = teamI18n.lang();
  await showLanguage();
}

const manifestOf = async (lang: string): Promise<PromptManifest | undefined> => {
  const response = await fetch(`/listen-${encodeURIComponent(lang)}.json`, { credentials: 'omit' });
  return response.ok ? ((await response.json()) as PromptManifest) : undefined;
};

/** The latest language chosen: the texts of one chosen before it, answering later, are dropped. */
let languageRequest = 0;

async function showLanguage(): Promise<void> {
  const lang = byId<HTMLSelectElement>('prompts-lang').value;
  const clipSelect = byId<HTMLSelectElement>('prompts-clip');
  const request = ++languageRequest;
  clearAudio();
  try {
    const [manifest, catalog, list] = await Promise.all([manifestOf(lang), WORKER_CATALOGS[lang as keyof typeof WORKER_CATALOGS](), teamGet<RecordedPrompts>(`/api/prompts/${encodeURIComponent(lang)}`)]);
    // Otherwise the texts of one language would be on show, and recorded, under another's name.
    if (request !== languageRequest) return;
    recorded = list.recordings;
    // Shown as workers read it: the catalog's own words of that part (the voice is given them without marks).
    const pieces = Object.entries(catalog)
      .flatMap(([key, text]) => textPieces(key, text).map((piece) => {
        const part = segments(text)[Number(piece.id.slice(piece.id.lastIndexOf('#') + 1))];
        return { id: piece.id, text: part && 'literal' in part ? part.literal.trim() : piece.text };
      }))
      .filter((piece) => manifest?.clips[piece.id]);
    if (pieces.length === 0) return refuse('prompt_unknown_key');
    const before = clipSelect.value;
    // The texts are the workers' words in that language (their catalog's), not the workspace's: marked so.
    clipSelect.lang = lang;
    clipSelect.dataset.workerText = '';
    clipSelect.replaceChildren(...pieces.map((piece) => h('option', { text: piece.text, attrs: { value: piece.id, dir: 'auto' } })));
    if (pieces.some((piece) => piece.id === before)) clipSelect.value = before;
    showState();
  } catch (error) {
    if (request === languageRequest) failed(error);
  }
}

function showState(): void {
  const clip = byId<HTMLSelectElement>('prompts-clip').value;
  const has = recorded.some((r) => r.clip === clip);
  tr(byId('prompts-state'), has ? 'prompts.recorded' : 'prompts.builtOnly');
  show(byId('prompts-remove'), has);
}

function clearAudio(): void {
  audio = undefined;
  const preview = byId<HTMLAudioElement>('prompts-preview');
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.removeAttribute('src');
  show(preview, false);
  byId('prompts-status').textContent = '';
}

/** The bytes as Ogg Opus, checked as the server will check them; or a refusal shown, and undefined. */
async function take(blob: Blob): Promise<void> {
  clearAudio();
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let ogg: Uint8Array;
  try {
    ogg = bytes[0] === 0x1a && bytes[1] === 0x45 ? webmOpusToOgg(bytes) : bytes;
  } catch {
    return refuse('prompt_not_audio');
  }
  const inspected = inspectPromptAudio(ogg);
  if (!inspected.ok) return refuse(inspected.code);
  audio = ogg;
  const preview = byId<HTMLAudioElement>('prompts-preview');
  preview.src = URL.createObjectURL(new Blob([ogg.slice()], { type: 'audio/ogg' }));
  show(preview);
  say('prompts.ready', undefined, { seconds: (inspected.durationMs / 1000).toFixed(1) });
}

async function record(): Promise<void> {
  clearAudio();
  try {
    recording = await startRecording({ audioBitsPerSecond: BITRATE });
  } catch {
    return refuse('noMic');
  }
  say('prompts.recording');
  try {
    await take(await recording.done);
  } catch {
    refuse('noMic');
  } finally {
    recording = undefined;
  }
}

async function fromFile(): Promise<void> {
  const file = byId<HTMLInputElement>('prompts-file').files?.[0];
  if (file) await take(file);
}

async function save(): Promise<void> {
  const lang = byId<HTMLSelectElement>('prompts-lang').value;
  const clip = byId<HTMLSelectElement>('prompts-clip').value;
  if (!audio) return say('prompts.nothing', 'nothing');
  const bytes = audio;
  try {
    const sha256 = await sha256Hex(bytes);
    const ops = await loadCrypto();
    const signature = await withKey((key) => ops.signPrompt({ lang, clip, sha256, key }));
    await teamPutBytes(`/api/prompts/${encodeURIComponent(lang)}/${encodeURIComponent(clip)}`, bytes, {
      [PROMPT_SIGNATURE_HEADER]: btoa(signature),
    });
    await showLanguage();
    say('prompts.saved');
  } catch (error) {
    failed(error);
  }
}

async function remove(): Promise<void> {
  const lang = byId<HTMLSelectElement>('prompts-lang').value;
  const clip = byId<HTMLSelectElement>('prompts-clip').value;
  try {
    await teamPost(`/api/prompts/${encodeURIComponent(lang)}/${encodeURIComponent(clip)}/remove`, {});
    await showLanguage();
    say('prompts.removed');
  } catch (error) {
    failed(error);
  }
}
