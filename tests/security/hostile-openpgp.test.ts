/**
 * Hostile OpenPGP data wherever the real server expects ciphertext — the
 * report of an intake, a raw upload, a reporter's message, a team reply, an
 * internal note: a compression bomb (a compressed packet that would inflate
 * to 1 GiB, itself compressed again), wrong packet types, truncated streams,
 * partial-length abuse, tens of thousands of PKESKs, and fast-check bit
 * flips. Every one is refused with a 4xx, nothing is written, the process
 * stays alive and under its memory bound (so nothing was inflated).
 */
import fc from 'fast-check';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/limits.ts';
import { encryptPayload, toBase64Url, utf8 } from '../../crypto/index.ts';
import { fetchSolvedPow } from '../../server/testing/reporter.ts';
import type { Express } from 'express';
import { draftAt, JSON_TYPE, send, signIn, type Answer, type Signed } from './support/client.ts';
import { rowCounts } from './support/db-scan.ts';
import { removeSeed, RSS_BOUND_MIB, seedDataDir, startProcess, type Seed, type ServerProcess } from './support/seeded-server.ts';

let seed: Seed;
let server: ServerProcess;
let admin: Signed;
let caseId: string;
let credentials: { lookupId: string; verifier: string };
let recipients: string[];
let valid: Uint8Array;

/** A new-format packet header for `tag` and a body of `length` bytes (five-octet length). */
function packet(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  return Buffer.concat([Buffer.from([0xc0 | tag, 0xff, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]), body]);
}

/** A literal packet of `size` zero bytes, deflated as it is streamed (the test never holds it whole). */
async function deflatedZeros(size: number): Promise<Uint8Array> {
  const deflate = createDeflateRaw({ level: 1 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  // Old-format literal packet (tag 11), four-octet length: 'b', no file name, date 0.
  const literalBody = size + 6;
  deflate.write(Buffer.from([0x80 | (11 << 2) | 2, (literalBody >>> 24) & 0xff, (literalBody >>> 16) & 0xff, (literalBody >>> 8) & 0xff, literalBody & 0xff, 0x62, 0, 0, 0, 0, 0]));
  const chunk = Buffer.alloc(1 << 20);
  for (let written = 0; written < size; written += chunk.length) {
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}

/** A compressed packet (tag 8, ZIP) of a compressed packet of a 1 GiB literal: a few kilobytes on the wire. */
let gibibyte: Promise<Uint8Array> | undefined;
const deflatedGibibyte = () => (gibibyte ??= deflatedZeros(1 << 30));

async function compressionBomb(): Promise<Uint8Array> {
  const inner = packet(8, Buffer.concat([Buffer.from([1]), await deflatedGibibyte()]));
  return packet(8, Buffer.concat([Buffer.from([1]), deflateRawSync(inner, { level: 9 })]));
}

function fakePkesks(count: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i += 1) {
    const body = Buffer.alloc(12);
    body[0] = 3;
    body.writeUInt32BE(i + 1, 5); // a distinct key id each
    body[9] = 18;
    parts.push(Buffer.concat([Buffer.from([0xc1, body.length]), body]));
  }
  return Buffer.concat(parts);
}

/** CRC-24 of RFC 4880 §6.1, for the armor checksum. */
function crc24(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of bytes) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i += 1) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

function armor(bytes: Uint8Array): string {
  const body = Buffer.from(bytes).toString('base64').replace(/.{1,64}/g, '$&\n');
  const sum = Buffer.from([(crc24(bytes) >> 16) & 0xff, (crc24(bytes) >> 8) & 0xff, crc24(bytes) & 0xff]).toString('base64');
  return `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${body}=${sum}\n-----END PGP PUBLIC KEY BLOCK-----\n`;
}

function dearmor(armored: string): Buffer {
  const lines = armored.trim().split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === '') + 1;
  return Buffer.from(lines.slice(start, -1).filter((l) => !l.startsWith('=')).join(''), 'base64');
}

/** Where the SEIPD packet of a message made by crypto/ starts (after its new-format PKESKs). */
function seipdStart(message: Uint8Array): number {
  let at = 0;
  while (message[at] === 0xc1) {
    const o1 = message[at + 1]!;
    if (o1 < 192) at += 2 + o1;
    else if (o1 < 224) at += 3 + ((o1 - 192) << 8) + message[at + 2]! + 192;
    else throw new Error('unexpected PKESK length form');
  }
  if (message[at] !== 0xd2) throw new Error('no SEIPD after the PKESKs');
  return at;
}

const seipdPartials = (chunks: number) =>
  Buffer.concat([Buffer.from([0xd2, 0xe0, 1]), ...Array.from({ length: chunks }, () => Buffer.from([0xe0, 0])), Buffer.from([0])]);

beforeAll(async () => {
  seed = await seedDataDir();
  server = await startProcess(seed.dataDir);
  admin = await signIn(server.url, seed.teamA.admin);
  const draft = await draftAt(server.url, { channel: 'factory-a' });
  const posted = await send(`${server.url}/api/intake`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(draft.body) });
  expect(posted.status).toBe(201);
  credentials = draft.credentials;
  caseId = ((await admin.get('/api/cases')).json() as { cases: { id: string }[] }).cases[0]!.id;
  recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
  valid = await encryptPayload({ data: utf8('a valid message'), recipients });
});
afterAll(async () => {
  await server?.stop();
  removeSeed(seed);
});

type Target = (bytes: Uint8Array) => Promise<Answer>;

const targets: Record<string, Target> = {
  'intake report': async (bytes) => {
    const draft = await draftAt(server.url, { channel: 'factory-a', pow: await fetchSolvedPow(server.url as unknown as Express) });
    return send(`${server.url}/api/intake`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...draft.body, report: toBase64Url(bytes) }) });
  },
  'raw upload': async (bytes) => {
    const pow = await fetchSolvedPow(server.url as unknown as Express);
    const ticket = (await send(`${server.url}/api/uploads/ticket`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ pow }) })).json() as { ticket: string };
    return send(`${server.url}/api/uploads`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': ticket.ticket }, body: bytes });
  },
  'reporter message': (bytes) =>
    send(`${server.url}/api/status/messages`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...credentials, body: toBase64Url(bytes) }) }),
  'team reply': (bytes) => admin.post(`/api/cases/${caseId}/messages`, { body: toBase64Url(bytes) }),
  'internal note': (bytes) => admin.post(`/api/cases/${caseId}/notes`, { body: toBase64Url(bytes) }),
};

async function expectRefusedEverywhere(name: string, bytes: Uint8Array, only?: string[]): Promise<void> {
  for (const [where, target] of Object.entries(targets)) {
    if (only && !only.includes(where)) continue;
    const before = rowCounts(seed.dataDir);
    const out = await target(bytes);
    const what = `${name} as ${where} → ${out.status} ${out.text.slice(0, 160)}`;
    expect(server.alive(), what).toBe(true);
    expect(out.status, what).toBeGreaterThanOrEqual(400);
    expect(out.status, what).toBeLessThan(500);
    const after = rowCounts(seed.dataDir);
    // Spent proofs of work are remembered (single use) even when the report is refused: that is the point of them.
    // So is what a refused upload cost its ticket (upload_tickets): one ticket cannot repeat a hostile upload forever.
    expect({ ...after, used_pow: 0, upload_tickets: 0 }, `${what}: wrote rows`).toEqual({ ...before, used_pow: 0, upload_tickets: 0 });
    expect(server.rssMiB(), what).toBeLessThan(RSS_BOUND_MIB);
  }
}

describe('hostile OpenPGP where ciphertext is expected', () => {
  it('accepts the valid message (the targets are right)', async () => {
    expect((await targets['team reply']!(valid)).status).toBe(201);
  });

  it('refuses a compression bomb by its header, without inflating it', async () => {
    const bomb = await compressionBomb();
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expectRefusedEverywhere('compression bomb', bomb);
    const one = await deflatedGibibyte(); // the single-layer bomb: about a megabyte
    await expectRefusedEverywhere('single compression bomb', packet(8, Buffer.concat([Buffer.from([1]), one])), ['raw upload']);
  });

  it('refuses wrong packet types', async () => {
    for (const tag of [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 19, 20, 21, 60]) {
      await expectRefusedEverywhere(`packet type ${tag}`, packet(tag, Buffer.alloc(64, 1)), ['team reply', 'raw upload']);
    }
    const skesk = packet(3, Buffer.from([4, 9, 3, 8, 0, 0, 0, 0, 0, 0, 0, 0, 96]));
    await expectRefusedEverywhere('password-only message', Buffer.concat([skesk, valid.subarray(seipdStart(valid))]), ['team reply']);
  });

  it('refuses truncated streams and trailing data', async () => {
    for (const cut of [1, 2, 5, 20, Math.floor(valid.length / 2), valid.length - 1]) {
      await expectRefusedEverywhere(`cut at ${cut}`, valid.subarray(0, cut), ['team reply', 'raw upload']);
    }
    await expectRefusedEverywhere('trailing data', Buffer.concat([valid, Buffer.from([0xc2, 1, 0])]), ['team reply']);
  });

  it('refuses partial-length abuse', async () => {
    const pkesks = valid.subarray(0, seipdStart(valid));
    await expectRefusedEverywhere('streamed key packet', Buffer.concat([Buffer.from([0xc1, 0xe4]), Buffer.alloc(16, 3), Buffer.from([0])]), ['team reply']);
    await expectRefusedEverywhere('a chunk claiming a gigabyte', Buffer.concat([pkesks, Buffer.from([0xd2, 0xfe, 1]), Buffer.alloc(100)]), ['team reply', 'raw upload']);
    // 200 000 one-byte chunks are well-formed OpenPGP to the right keys: staged like any upload, quickly.
    const chunky = await targets['raw upload']!(Buffer.concat([pkesks, seipdPartials(200_000)]));
    expect(chunky.status, chunky.text).toBe(201);
    expect(server.alive()).toBe(true);
    await expectRefusedEverywhere('indeterminate length', Buffer.concat([pkesks, Buffer.from([0x80 | (9 << 2) | 3, 1]), Buffer.alloc(64)]), ['team reply']);
  });

  it('refuses tens of thousands of key packets', async () => {
    const rest = valid.subarray(seipdStart(valid));
    await expectRefusedEverywhere('5 000 PKESKs', Buffer.concat([fakePkesks(5_000), valid.subarray(0, seipdStart(valid)), rest]), ['team reply', 'intake report']);
    await expectRefusedEverywhere('150 000 PKESKs', Buffer.concat([fakePkesks(150_000), rest]), ['raw upload']);
  });

  it('refuses ~2.2 million key packets in one upload fast, with RSS growth under its bound, and keeps answering', async () => {
    // The bound (docs/threat-model.md, hostile input): an upload in flight holds its body at most twice
    // (the chunks and their copy), 2 × 26 MiB, and inspection stops at 257 key packets before collecting
    // more; so one hostile upload grows RSS by less than 96 MiB, three at once (the read slots) by less than 192.
    const rest = valid.subarray(seipdStart(valid));
    // The smallest key packets inspection reads (2 bytes of header, version, key id, algorithm): 12 bytes each.
    const packets = Buffer.alloc(2_200_000 * 12);
    for (let i = 0; i < 2_200_000; i += 1) {
      packets[i * 12] = 0xc1;
      packets[i * 12 + 1] = 10;
      packets[i * 12 + 2] = 3;
      packets.writeUInt32BE(i + 1, i * 12 + 7);
      packets[i * 12 + 11] = 18;
    }
    const hostile = Buffer.concat([packets, rest]);
    expect(hostile.length).toBeLessThanOrEqual(LIMITS.uploadCiphertextBytes);
    const raw = async (ticket: string) => send(`${server.url}/api/uploads`, {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': ticket }, body: hostile,
    });
    const ticketFor = async () => {
      const pow = await fetchSolvedPow(server.url as unknown as Express);
      return ((await send(`${server.url}/api/uploads/ticket`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ pow }) })).json() as { ticket: string }).ticket;
    };
    // Time: sending 26 MiB over loopback dominates (three at once share the read slots); refusing takes milliseconds.
    for (const [count, boundMiB, seconds] of [[1, 96, 10], [3, 192, 30]] as const) {
      const tickets = await Promise.all(Array.from({ length: count }, ticketFor));
      const baseline = server.rssMiB();
      let peak = baseline;
      let slowestHealthMs = 0;
      let healthAnswers = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, server.rssMiB())), 10);
      // Pings sent while the uploads are in flight. Their answers are waited for after the uploads': a quick
      // refusal (150 ms on an idle machine) answers before the pings sent during it have come back.
      const pings: Promise<void>[] = [];
      const health = setInterval(() => {
        const started = performance.now();
        pings.push(send(`${server.url}/api/health`).then((res) => {
          if (res.status === 200) healthAnswers += 1;
          slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started);
        }));
      }, 20);
      const started = performance.now();
      try {
        const answers = await Promise.all(tickets.map(raw));
        for (const answer of answers) {
          expect(answer.status, answer.text).toBe(400);
          expect(answer.text).toContain('more than 257 recipients');
        }
      } finally {
        clearInterval(sampler);
        clearInterval(health);
      }
      const elapsedMs = performance.now() - started;
      expect(pings.length, `${count} at once: pings sent while the uploads were in flight`).toBeGreaterThan(0);
      await Promise.all(pings);
      expect(elapsedMs, `${count} at once`).toBeLessThan(seconds * 1000);
      console.info(`${count} hostile upload(s) of 2.2 million key packets: RSS ${baseline.toFixed(0)} → ${peak.toFixed(0)} MiB, ${(elapsedMs / 1000).toFixed(1)} s, slowest /api/health ${slowestHealthMs.toFixed(0)} ms`);
      expect(peak - baseline, `${count} at once: RSS ${baseline.toFixed(0)} → ${peak.toFixed(0)} MiB`).toBeLessThan(boundMiB);
      // It keeps answering; how fast depends on the machine (125–261 ms alone, up to ~4 s on a shared, loaded
      // one, measured from this process, which is itself busy sending), so the bound here is only that it answers.
      expect(healthAnswers, `${count} at once: /api/health answered`).toBeGreaterThan(0);
      expect(slowestHealthMs, `${count} at once: /api/health`).toBeLessThan(10_000);
      expect(server.alive()).toBe(true);
    }
  });

  it('never answers 5xx to a damaged or hostile public key where one is expected', async () => {
    const draft = await draftAt(server.url, { channel: 'factory-a' });
    const realKey = dearmor(draft.body.reporterPublicKey);
    const intakeWith = async (key: string) => {
      const pow = await fetchSolvedPow(server.url as unknown as Express);
      return send(`${server.url}/api/intake`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...draft.body, pow, reporterPublicKey: key }) });
    };
    // The armor of this test is right: the real key, dearmored and armored again, is accepted.
    const sane = await intakeWith(armor(realKey));
    expect(sane.status, sane.text).toBe(201);
    const hostileKeys = [
      armor(await compressionBomb()),
      armor(packet(6, Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 22]), Buffer.from([0xff, 0xff]), Buffer.alloc(64, 7)]))), // an MPI claiming 8 KiB
      armor(Buffer.concat([realKey, ...Array.from({ length: 400 }, (_, i) => packet(13, Buffer.from(`user ${i} <u${i}@example.test>`)))])),
      armor(packet(5, Buffer.alloc(80, 1))), // a secret-key packet
    ];
    for (const key of hostileKeys) {
      const before = rowCounts(seed.dataDir);
      const out = await intakeWith(key);
      expect(out.status, out.text).toBeGreaterThanOrEqual(400);
      expect(out.status, out.text).toBeLessThan(500);
      expect({ ...rowCounts(seed.dataDir), used_pow: 0 }).toEqual({ ...before, used_pow: 0 });
      const admit = await admin.post(`/api/team/members/${seed.teamA.member.id}/admit`, { publicKey: key });
      expect(admit.status, admit.text).toBeLessThan(500);
      expect(server.alive()).toBe(true);
    }
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: realKey.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), async (flips) => {
        const bytes = Buffer.from(realKey);
        for (const [at, xor] of flips) bytes[at]! ^= xor;
        const out = await intakeWith(armor(bytes));
        expect(server.alive()).toBe(true);
        expect(out.status, out.text).toBeLessThan(500);
      }),
      { seed: 4_881, numRuns: 40 },
    );
  });

  it('never answers 5xx to a bit-flipped or spliced message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 300 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (flips) => {
          const bytes = Buffer.from(valid);
          for (const [at, xor] of flips) bytes[Math.min(at, bytes.length - 1)]! ^= xor;
          const out = await targets['team reply']!(bytes);
          expect(server.alive()).toBe(true);
          expect(out.status, out.text).toBeLessThan(500);
        },
      ),
      { seed: 4_880, numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.nat({ max: 40 }), async (junk, keep) => {
        // A real header (its key packets) followed by junk, as a raw upload.
        const out = await targets['raw upload']!(Buffer.concat([valid.subarray(0, Math.min(keep * 8, seipdStart(valid))), junk]));
        expect(server.alive()).toBe(true);
        expect(out.status, out.text).toBeLessThan(500);
      }),
      { seed: 4_882, numRuns: 30 },
    );
  });
});
