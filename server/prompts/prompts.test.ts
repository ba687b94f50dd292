/**
 * A deployment's own recordings over the API: who may save one, every bad
 * input refused with its code and nothing written (the earlier recording
 * untouched), two administrators saving at once, the audit trail, and the
 * immutable answer that serves the bytes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROMPT_SIGNATURE_HEADER, type RecordedPrompts } from '../../common/api.ts';
import { PROMPT_MAX_BYTES } from '../../common/prompt-audio.ts';
import { signPrompt } from '../../crypto/index.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { createTestServer, type InvestigatorClient, type TestInvestigator, type TestServer } from '../testing.ts';

const CLIP = 'report.send#0';
let clientDir: string;
let spoken: Buffer;
let other: Buffer;

beforeAll(() => {
  clientDir = mkdtempSync(join(tmpdir(), 'ombud-prompts-'));
  // The built manifest the server takes the known clips from (what the Vite build writes).
  const clips = { [CLIP]: '/assets/prompts/en/a.opus', 'report.what#0': '/assets/prompts/en/b.opus', 'digit.1': '/x', 'date.month.March': '/y', 'count.7': '/z' };
  writeFileSync(join(clientDir, 'listen-en.json'), JSON.stringify({ lang: 'en', voice: 'en-us', scope: 'all', clips }));
  const opus = (text: string) =>
    execFileSync('opusenc', ['--quiet', '--serial', '3', '-', '-'], { input: execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', text]) });
  spoken = opus('Lock and send');
  other = opus('Send it now');
});
afterAll(() => rmSync(clientDir, { recursive: true, force: true }));

let t: TestServer;
let lead: TestInvestigator;
let admin: InvestigatorClient;
beforeEach(async () => {
  t = await createTestServer({ config: { clientDir } });
  lead = t.team.admin;
  admin = await t.login(lead);
});
afterEach(() => t.close());

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
async function signature(by: TestInvestigator, bytes: Uint8Array, lang = 'en', clip = CLIP): Promise<string> {
  const armored = await signPrompt({ lang, clip, sha256: sha(bytes), key: by.keyPair.privateKey });
  return Buffer.from(armored).toString('base64');
}
function put(client: InvestigatorClient, bytes: Uint8Array, sig: string | undefined, clip = CLIP, lang = 'en') {
  let req = client.agent
    .put(`/api/prompts/${lang}/${encodeURIComponent(clip)}`)
    .set('Content-Type', 'application/octet-stream')
    .set(CSRF_HEADER, client.session.csrfToken);
  if (sig !== undefined) req = req.set(PROMPT_SIGNATURE_HEADER, sig);
  return req.send(Buffer.from(bytes));
}
const listed = async () => (await request(t.app).get('/api/prompts/en').expect(200)).body as RecordedPrompts;
const audits = () => t.repos.audit.list().filter((event) => event.action.startsWith('prompt.'));

describe('saving a recording', () => {
  it('stores it signed, lists it, serves its bytes immutably, and audits it', async () => {
    await put(admin, spoken, await signature(lead, spoken)).expect(204);
    const list = await listed();
    expect(list.recordings).toHaveLength(1);
    const entry = list.recordings[0]!;
    expect(entry).toMatchObject({ clip: CLIP, sha256: sha(spoken), signerKey: lead.keyPair.publicKey });
    expect(entry.signature).toContain('BEGIN PGP SIGNATURE');
    expect(entry.url).toBe(`/api/prompt-audio/en/${sha(spoken)}`);
    const audio = await request(t.app).get(entry.url).expect(200);
    expect(Buffer.compare(audio.body as Buffer, spoken)).toBe(0);
    expect(audio.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    await request(t.app).get(`/api/prompt-audio/en/${'0'.repeat(64)}`).expect(404);
    expect(audits().map((e) => [e.action, e.detail])).toEqual([['prompt.recorded', { lang: 'en', clip: CLIP, sha256: sha(spoken) }]]);
  });

  it('replaces an earlier recording, and removing it goes back to none', async () => {
    await put(admin, spoken, await signature(lead, spoken)).expect(204);
    await put(admin, other, await signature(lead, other)).expect(204);
    expect((await listed()).recordings.map((r) => r.sha256)).toEqual([sha(other)]);
    await admin.post(`/api/prompts/en/${encodeURIComponent(CLIP)}/remove`).expect(204);
    expect((await listed()).recordings).toEqual([]);
    const again = await admin.post(`/api/prompts/en/${encodeURIComponent(CLIP)}/remove`).expect(404);
    expect(again.body.error).toBe('prompt_not_found');
    expect(audits().map((e) => e.action)).toEqual(['prompt.recorded', 'prompt.recorded', 'prompt.removed']);
  });
});

describe('refusals: a stable code, nothing written, the earlier recording untouched', () => {
  beforeEach(async () => {
    await put(admin, spoken, await signature(lead, spoken)).expect(204);
  });
  async function refused(res: request.Response, status: number, code: string): Promise<void> {
    expect([res.status, res.body.error]).toEqual([status, code]);
    expect((await listed()).recordings.map((r) => [r.clip, r.sha256])).toEqual([[CLIP, sha(spoken)]]);
    expect(audits()).toHaveLength(1);
  }

  it('a member who is not an administrator, or an administrator of another team', async () => {
    const member = await t.addInvestigator(t.team, { username: 'mia', role: 'investigator' });
    await refused(await put(await t.login(member), other, await signature(member, other)), 403, 'admin_only');
    const committee = await t.addTeam({ name: 'Committee', channelSlug: 'committee', runsDeployment: false });
    await refused(await put(await t.login(committee.admin), other, await signature(committee.admin, other)), 403, 'deployment_admin_only');
    await refused(await request(t.app).put(`/api/prompts/en/${encodeURIComponent(CLIP)}`).set('Content-Type', 'application/octet-stream').send(other), 401, 'not_authenticated');
  });

  it('WAV, a picture, a script behind OggS, truncated or padded Ogg: prompt_not_audio', async () => {
    const wav = execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', 'hello']);
    for (const bytes of [wav, Buffer.from('\x89PNG\r\n\x1a\n\0\0\0'), Buffer.from('OggS<script>alert(1)</script>'), other.subarray(0, other.length - 9), Buffer.concat([other, Buffer.from('x')])]) {
      await refused(await put(admin, bytes, await signature(lead, bytes)), 415, 'prompt_not_audio');
    }
  });

  it('a body over the limit is refused from its declared length: prompt_too_large', async () => {
    const big = Buffer.concat([other, Buffer.alloc(PROMPT_MAX_BYTES)]);
    await refused(await put(admin, big, await signature(lead, big)), 413, 'prompt_too_large');
  });

  it('over three minutes: prompt_too_long', async () => {
    const seconds = 181;
    const rate = 8000;
    const wav = Buffer.alloc(44 + seconds * rate * 2);
    wav.write('RIFF', 0); wav.writeUInt32LE(wav.length - 8, 4); wav.write('WAVEfmt ', 8); wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22); wav.writeUInt32LE(rate, 24); wav.writeUInt32LE(rate * 2, 28); wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34);
    wav.write('data', 36); wav.writeUInt32LE(seconds * rate * 2, 40);
    const long = execFileSync('opusenc', ['--quiet', '--bitrate', '6', '-', '-'], { input: wav, maxBuffer: 64 << 20 });
    await refused(await put(admin, long, await signature(lead, long)), 400, 'prompt_too_long');
  });

  it('a clip that is not built, or says a day, a count or a digit, or a language without a manifest: prompt_unknown_key', async () => {
    for (const clip of ['report.nope#0', 'digit.1', 'date.month.March', 'count.7', 'report.send']) {
      await refused(await put(admin, other, await signature(lead, other, 'en', clip), clip), 404, 'prompt_unknown_key');
    }
    await refused(await put(admin, other, await signature(lead, other, 'es'), CLIP, 'es'), 404, 'prompt_unknown_key');
    await refused(await admin.post(`/api/prompts/en/${encodeURIComponent('digit.1')}/remove`), 404, 'prompt_unknown_key');
  });

  it('no signature, another key’s, another clip’s, other bytes’, garbage: prompt_bad_signature', async () => {
    const member = await t.addInvestigator(t.team, { username: 'mia', role: 'investigator' });
    for (const sig of [
      undefined,
      '',
      await signature(member, other),
      await signature(lead, other, 'en', 'report.what#0'),
      await signature(lead, spoken),
      Buffer.from('not a signature').toString('base64'),
      'x'.repeat(5000),
    ]) {
      await refused(await put(admin, other, sig), 400, 'prompt_bad_signature');
    }
  });
});

describe('two administrators saving at once', () => {
  it('each save is whole: the row holds one of them, its bytes, hash and signature together', async () => {
    const second = await t.addInvestigator(t.team, { username: 'ada', role: 'admin' });
    const ada = await t.login(second);
    const attempts = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => (i % 2 === 0 ? put(admin, spoken, await signature(lead, spoken)) : put(ada, other, await signature(second, other)))),
    );
    expect(attempts.map((res) => res.status)).toEqual(Array(30).fill(204));
    const [entry] = (await listed()).recordings;
    const bytes = (await request(t.app).get(entry!.url).expect(200)).body as Buffer;
    expect(sha(bytes)).toBe(entry!.sha256);
    const by = entry!.signerKey === lead.keyPair.publicKey ? spoken : other;
    expect(sha(by)).toBe(entry!.sha256);
    expect(audits()).toHaveLength(30);
  });
});
