/**
 * The case bundle's README.txt, followed to the letter: a real bundle is
 * exported (a report with a binary attachment, no notes), unzipped with
 * `unzip`, and the README's own shell lines are run with bash and GnuPG —
 * the decrypt and cut-the-padding lines for the report and, with the file
 * names changed as the README says, for the attachment; the integrity line
 * as it stands. The report must come out as JSON, the attachment as the
 * file's exact bytes, and every hash must match the manifest.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptPayload, exportArmoredPrivateKey } from '../crypto/index.ts';
import { README } from '../server/export/bundle.ts';
import { createTestServer, fetchSolvedPow, json, type TestServer } from '../server/testing.ts';

let t: TestServer;
let dir: string;
let gnupgHome: string;
let attachmentId: string;
const FILE = new Uint8Array(randomBytes(5_000)); // binary, any bytes at all

/** The README's indented command lines under `heading`, up to the next heading. */
function commandsUnder(heading: string): string[] {
  const section = README.split(`\n${heading}\n`)[1]!.split(/\n[A-Z][a-z]+\n-+\n/)[0]!;
  return section.split('\n').filter((line) => /^ {2}(gpg |N=|tail |sha256sum |find |for )/.test(line)).map((line) => line.trim());
}

function bash(script: string) {
  return spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, GNUPGHOME: gnupgHome } });
}

beforeAll(async () => {
  t = await createTestServer();
  const draft = await t.draftReport();
  const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
  const pow = await fetchSolvedPow(t.app);
  const ticket = (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
  const uploaded = await request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(await encryptPayload({ data: FILE, recipients }))).expect(201);
  attachmentId = uploaded.body.uploadId as string;
  await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [attachmentId], uploadTicket: ticket }).expect(201);
  const admin = await t.login(t.team.admin);
  const caseId = ((await admin.get('/api/cases').expect(200)).body.cases[0] as { id: string }).id;
  const zip = await admin.get(`/api/cases/${caseId}/export`).buffer(true)
    .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); })
    .expect(200);
  dir = mkdtempSync(join(tmpdir(), 'ombud-bundle-'));
  gnupgHome = mkdtempSync(join(tmpdir(), 'ombud-gpg-'));
  writeFileSync(join(dir, 'bundle.zip'), zip.body as Buffer);
  execFileSync('unzip', ['-q', 'bundle.zip'], { cwd: dir });
  rmSync(join(dir, 'bundle.zip'));
  writeFileSync(join(dir, 'my-private-key.asc'), await exportArmoredPrivateKey(t.team.admin.keyPair.privateKey));
});

afterAll(() => {
  t?.close();
  for (const d of [dir, gnupgHome]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('the case bundle README, followed as written', () => {
  it('is the README inside the bundle', () => {
    expect(readFileSync(join(dir, 'README.txt'), 'utf8')).toBe(README);
  });

  it('decrypts the report to JSON with its gpg, head/od/awk and tail lines', () => {
    const lines = commandsUnder('Decrypting\n----------');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const result = bash(`${lines.map((line) => line.replace('gpg ', 'gpg --batch --quiet ')).join('\n')}\n`);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { v: number };
    expect(report.v).toBe(1);
  });

  it('gets an attachment’s exact bytes with the same lines, file names changed', () => {
    const lines = commandsUnder('Decrypting\n----------').filter((line) => !line.startsWith('gpg --import'))
      .map((line) => line.replace('gpg ', 'gpg --batch --quiet ')
        .replaceAll('report.gpg', `attachments/${attachmentId}.gpg`).replaceAll('report.padded', 'file.padded')
        .replaceAll('report.json', 'file'));
    const result = bash(lines.join('\n'));
    expect(result.status, result.stderr).toBe(0);
    expect(Buffer.from(readFileSync(join(dir, 'file'))).equals(Buffer.from(FILE))).toBe(true);
  });

  it('checks integrity with its command on a case with no notes, every hash as in the manifest', () => {
    const [line] = commandsUnder('Integrity\n---------');
    const result = bash(line!);
    expect(result.status, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      report: { file: string; sha256: string }; attachments: { file: string; sha256: string }[]; notes: unknown[];
    };
    expect(manifest.notes).toEqual([]);
    const hashes = new Map(result.stdout.trim().split('\n').map((row) => {
      const [hash, file] = row.split(/\s+\*?/);
      return [file!.replace(/^\.\//, ''), hash!];
    }));
    for (const entry of [manifest.report, ...manifest.attachments]) expect(hashes.get(entry.file)).toBe(entry.sha256);
    expect(hashes.size).toBe(2);
  });

  it('says what the padding and an attachment really are', () => {
    expect(README).not.toMatch(/zeros/);
    expect(README).not.toMatch(/JSON header/);
  });
});
