/**
 * Upload read slots against a listening server with real sockets:
 * connections that trickle a byte every 5 s must not keep a worker's
 * 2 kB upload waiting. Two defences, one test each: a client (the throttle's
 * keyed hash of its address, through OMBUD_TRUST_PROXY as configured) holds at
 * most PER_CLIENT_UPLOAD_READS slots, and a body slower than the minimum rate
 * loses its slot after the grace time.
 */
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptPayload, utf8 } from '../../crypto/index.ts';
import { fetchSolvedPow, json, listenTestServer, type ListeningTestServer } from '../testing.ts';
import { UPLOAD_RATE_GRACE_MS } from '../reporter/read-body.ts';
import { CONCURRENT_UPLOAD_READS, PER_CLIENT_UPLOAD_READS, readSlotsInUse } from '../reporter/upload-stage.ts';
import { SLOT_WAIT_TO_DROP_MS } from '../reporter/upload-resume.ts';

let server: ListeningTestServer;
const sockets: Socket[] = [];
const timers: ReturnType<typeof setInterval>[] = [];
beforeEach(async () => {
  // Behind a proxy on this machine: X-Forwarded-For names the client, as in a deployment behind nginx.
  server = await listenTestServer({ config: { trustProxy: 'loopback' } });
});
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const socket of sockets.splice(0)) socket.destroy();
  await server.stop();
});

async function ticket(): Promise<string> {
  const pow = await fetchSolvedPow(server.app);
  return (await request(server.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
}

/** Opens an upload that declares 2 000 bytes and sends one every 5 s; answers what the server said, if anything. */
function trickle(uploadTicket: string, client: string): { answer: Promise<string> } {
  const port = Number(new URL(server.url).port);
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let answer = '';
  socket.on('data', (data) => (answer += data.toString()));
  socket.on('error', () => undefined);
  socket.write([
    'POST /api/uploads HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/octet-stream', 'Content-Length: 2000',
    `X-Ombud-Upload-Ticket: ${uploadTicket}`, `X-Forwarded-For: ${client}`, '', '',
  ].join('\r\n'));
  socket.write('x');
  timers.push(setInterval(() => socket.writable && socket.write('x'), 5_000));
  return { answer: new Promise((resolve) => socket.on('close', () => resolve(answer))) };
}

/** A worker's real upload of about 2 kB, from `client`; answers the status and how long it took. */
async function workerUpload(uploadTicket: string, client: string, timeoutMs: number): Promise<{ status: number; ms: number }> {
  const draft = await server.draftReport();
  const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
  const file = await encryptPayload({ data: utf8('p'.repeat(1500)), recipients });
  expect(file.length).toBeGreaterThan(1500);
  expect(file.length).toBeLessThan(4096);
  const started = performance.now();
  const res = await fetch(`${server.url}/api/uploads`, {
    method: 'POST', body: new Blob([file as Uint8Array<ArrayBuffer>]), signal: AbortSignal.timeout(timeoutMs),
    headers: { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': uploadTicket, 'X-Forwarded-For': client },
  }).catch((error: unknown) => ({ status: 0, error }));
  return { status: res.status, ms: performance.now() - started };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('upload read slots', () => {
  it('lets a worker’s 2 kB upload through at once while one client trickles on every slot', async () => {
    expect(PER_CLIENT_UPLOAD_READS).toBeLessThan(CONCURRENT_UPLOAD_READS);
    const t = await ticket();
    for (let i = 0; i < CONCURRENT_UPLOAD_READS; i += 1) trickle(t, '203.0.113.7');
    await settle(500); // the tricklers are in and reading (or waiting for their client's slot)
    const worker = await workerUpload(await ticket(), '198.51.100.2', 5_000);
    expect(worker.status).toBe(201);
    expect(worker.ms).toBeLessThan(3_000);
  });

  it('takes the slots back from tricklers on different addresses once they fall below the minimum rate', { timeout: 60_000 }, async () => {
    const t = await ticket();
    const tricklers = Array.from({ length: CONCURRENT_UPLOAD_READS }, (_, i) => trickle(t, `203.0.113.${i + 1}`));
    await settle(500);
    const worker = await workerUpload(await ticket(), '198.51.100.2', UPLOAD_RATE_GRACE_MS + 15_000);
    expect(worker.status).toBe(201);
    expect(worker.ms).toBeLessThan(UPLOAD_RATE_GRACE_MS + 5_000);
    for (const trickler of tricklers) expect(await trickler.answer).toMatch(/^HTTP\/1\.1 408 [\s\S]*upload_too_slow/);
  });

  it('reads the bodies of 30 refused PATCHes in read slots, answers the ones without a slot at once, and lets a worker through', async () => {
    const t = await ticket();
    const opened = await request(server.app).post('/api/uploads/resumable').set('Content-Type', 'application/octet-stream')
      .set('X-Ombud-Upload-Ticket', t).set('X-Ombud-Upload-Length', '5000').set('X-Ombud-Upload-Digest', 'a'.repeat(64)).expect(201);
    const id = opened.body.uploadId as string;
    const port = Number(new URL(server.url).port);
    // 30 PATCHes at the wrong offset (refused), each declaring 1 000 bytes and trickling a byte every 5 s:
    // before, every one of them was read at once, outside the read slots, as long as it kept trickling.
    const answers = Array.from({ length: 30 }, () => {
      const socket = connect(port, '127.0.0.1');
      sockets.push(socket);
      let answer = '';
      socket.on('data', (data) => (answer += data.toString()));
      socket.on('error', () => undefined);
      socket.write([
        `PATCH /api/uploads/${id} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: application/octet-stream', 'Content-Length: 1000',
        `X-Ombud-Upload-Ticket: ${t}`, 'X-Ombud-Upload-Offset: 7', `X-Ombud-Upload-Digest: ${'a'.repeat(64)}`,
        'X-Forwarded-For: 203.0.113.9', '', '',
      ].join('\r\n'));
      socket.write('x');
      timers.push(setInterval(() => socket.writable && socket.write('x'), 5_000));
      return () => answer;
    });
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, readSlotsInUse().reading)), 20);
    timers.push(watch);
    await settle(SLOT_WAIT_TO_DROP_MS + 1_500);
    expect(most).toBeLessThanOrEqual(CONCURRENT_UPLOAD_READS);
    expect(readSlotsInUse().waiting).toBe(0);
    // those that found no slot were refused without their body being read, and told the connection closes
    const refused = answers.map((answer) => answer()).filter((a) => /^HTTP\/1\.1 409 [\s\S]*upload_offset_mismatch/.test(a));
    expect(refused.length).toBeGreaterThanOrEqual(30 - PER_CLIENT_UPLOAD_READS);
    for (const a of refused) expect(a).toMatch(/connection: close/i);
    const worker = await workerUpload(await ticket(), '198.51.100.2', 5_000);
    expect(worker.status).toBe(201);
    expect(worker.ms).toBeLessThan(3_000);
  });
});
