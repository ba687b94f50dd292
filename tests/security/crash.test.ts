/**
 * Nothing acknowledged is lost: under a loopback load of valid encrypted
 * submissions, the real server process is killed with SIGKILL at (seeded)
 * random moments and restarted on the same data folder, KILLS times. Then
 * every report that was answered 201 is there, opens for its reporter, and
 * decrypts with the team's key to what was sent, and every follow-up message
 * answered 201 is in its thread; SQLite's integrity check
 * passes; the audit chain verifies. Reports with a file go on meanwhile: a
 * file's body is committed in the files' file before the row that names it
 * (db/uploads.repo.ts), so a kill between the two commits leaves at most a
 * body nothing names, which the next start deletes. Every report with a
 * file answered 201 has that file, and it decrypts to what was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload, encryptPayload, fromBase64Url, fromUtf8, utf8 } from '../../crypto/index.ts';
import { encryptMessage, fetchSolvedPow } from '../../server/testing/reporter.ts';
import type { Express } from 'express';
import { draftAt, JSON_TYPE, send, signIn } from './support/client.ts';
import { integrityCheck } from './support/db-scan.ts';
import { removeSeed, seedDataDir, startProcess, type Seed, type ServerProcess } from './support/seeded-server.ts';

const KILLS = 15;
const WORKERS = 3;

/** mulberry32: the kill moments are reproducible from the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let seed: Seed;
let server: ServerProcess;
let port: number;

beforeAll(async () => {
  seed = await seedDataDir();
  server = await startProcess(seed.dataDir);
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.stop();
  removeSeed(seed);
});

interface Acknowledged {
  marker: string;
  credentials: { lookupId: string; verifier: string };
  recipients: string[];
}

describe('SIGKILL under load', () => {
  it('loses no acknowledged report, keeps the database intact and the audit chain whole', async () => {
    const url = server.url;
    const acknowledged: Acknowledged[] = [];
    let attempts = 0;
    let running = true;

    const worker = async (n: number) => {
      for (let i = 0; running; i += 1) {
        const marker = `crash-report-${n}-${i}`;
        attempts += 1;
        try {
          const draft = await draftAt(url, { channel: 'factory-a', plaintext: utf8(JSON.stringify({ v: 1, what: marker })) });
          const res = await send(`${url}/api/intake`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(draft.body) });
          const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
          if (res.status === 201) acknowledged.push({ marker, credentials: draft.credentials, recipients });
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50)); // the server is down: try again
        }
      }
    };

    // The worker's follow-up messages on cases already acknowledged, in between.
    const messages: { credentials: Acknowledged['credentials']; body: string }[] = [];
    const follower = async () => {
      for (let i = 0; running; i += 1) {
        const target = acknowledged[i % Math.max(1, acknowledged.length)];
        try {
          if (!target) throw new Error('no case yet');
          const body = await encryptMessage(`crash-message-${i}`, target.recipients);
          const res = await send(`${url}/api/status/messages`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...target.credentials, body }) });
          if (res.status === 201) messages.push({ credentials: target.credentials, body });
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };

    // Reports with a file: a ticket, the file's upload, then the report that names it.
    const filed: (Acknowledged & { fileId: string; file: string })[] = [];
    const filer = async () => {
      for (let i = 0; running; i += 1) {
        const marker = `crash-filed-${i}`;
        try {
          const draft = await draftAt(url, { channel: 'factory-a', plaintext: utf8(JSON.stringify({ v: 1, what: marker })) });
          const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
          const pow = await fetchSolvedPow(url as unknown as Express);
          const ticket = await send(`${url}/api/uploads/ticket`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ pow }) });
          if (ticket.status !== 201 && ticket.status !== 200) continue;
          const uploadTicket = (ticket.json() as { ticket: string }).ticket;
          const file = `crash-file-${i}-${'x'.repeat(20_000)}`;
          const upload = await send(`${url}/api/uploads`, {
            method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': uploadTicket },
            body: await encryptPayload({ data: utf8(file), recipients }),
          });
          if (upload.status !== 201) continue;
          const fileId = (upload.json() as { uploadId: string }).uploadId;
          const res = await send(`${url}/api/intake`, {
            method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...draft.body, attachments: [fileId], uploadTicket }),
          });
          if (res.status === 201) filed.push({ marker, credentials: draft.credentials, recipients, fileId, file });
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };

    const random = prng(0x0b5d);
    const load = [...Array.from({ length: WORKERS }, (_, n) => worker(n)), follower(), filer()];
    for (let kill = 0; kill < KILLS; kill += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(random() * 900)));
      await server.kill();
      expect(server.alive()).toBe(false);
      server = await startProcess(seed.dataDir, {}, port);
    }
    // On a slow machine few reports may have made it between the kills: let the load run on until some have.
    const deadline = Date.now() + 60_000;
    while ((acknowledged.length < 5 || filed.length < 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    running = false;
    await Promise.all(load);
    await server.stop();
    expect(acknowledged.length, `${attempts} attempts`).toBeGreaterThanOrEqual(5);
    expect(filed.length).toBeGreaterThanOrEqual(2);

    expect(integrityCheck(seed.dataDir)).toBe('ok');
    server = await startProcess(seed.dataDir, {}, port);
    const threads = new Map<string, string[]>();
    for (const { credentials, marker } of acknowledged) {
      const status = await send(`${url}/api/status`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(credentials) });
      expect(status.status, marker).toBe(200);
      threads.set(credentials.lookupId, (status.json() as { messages: { body: string }[] }).messages.map((m) => m.body));
    }
    expect(messages.length).toBeGreaterThan(0);
    for (const { credentials, body } of messages) expect(threads.get(credentials.lookupId), 'an acknowledged message').toContain(body);
    const admin = await signIn(url, seed.teamA.admin);
    const cases = (await admin.get('/api/cases')).json() as { cases: { id: string }[] };
    const found = new Set<string>();
    for (const { id } of cases.cases) {
      const detail = (await admin.get(`/api/cases/${id}`)).json() as { report: string };
      const plain = await decryptPayload({ ciphertext: fromBase64Url(detail.report), key: seed.teamA.admin.keyPair.privateKey });
      found.add((JSON.parse(fromUtf8(plain)) as { what: string }).what);
    }
    for (const { marker } of acknowledged) expect(found.has(marker), marker).toBe(true);
    for (const { marker, credentials, fileId, file } of filed) {
      expect(found.has(marker), marker).toBe(true);
      const download = await fetch(`${url}/api/status/attachments/${fileId}`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(credentials) });
      expect(download.status, marker).toBe(200);
      const plain = await decryptPayload({ ciphertext: new Uint8Array(await download.arrayBuffer()), key: seed.teamA.admin.keyPair.privateKey });
      expect(fromUtf8(plain), marker).toBe(file);
    }
    const chain = (await admin.get('/api/audit/verify')).json() as { ok: boolean; checked: number };
    expect(chain.ok).toBe(true);
    expect(chain.checked).toBeGreaterThanOrEqual(acknowledged.length);
  }, 300_000);
});
