/**
 * The one invariant, checked on the bytes of a real database file: after a
 * report, a reporter message, a team reply and sign-ins, neither the words of
 * the report nor the reporter's credentials nor session cookies are anywhere
 * in the files, in any common encoding. And nothing was logged.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64Url, toHex, utf8 } from '../crypto/index.ts';
import type { StatusView } from '../common/api.ts';
import { createTestServer, encryptMessage, json, type TestServer } from './testing.ts';

const CANARY = 'CANARY-7f3a-supervisor-locked-fire-exit';
let dir: string;
let t: TestServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-blind-'));
  t = await createTestServer({ dbPath: join(dir, 'ombud.sqlite') });
});
afterEach(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

function forms(secret: string | Uint8Array): Buffer[] {
  const bytes = typeof secret === 'string' ? utf8(secret) : secret;
  const buffer = Buffer.from(bytes);
  return [buffer, Buffer.from(buffer.toString('base64')), Buffer.from(buffer.toString('base64url')), Buffer.from(toHex(bytes))];
}

function filesOf(directory: string): Buffer {
  return Buffer.concat(readdirSync(directory).map((name) => readFileSync(join(directory, name))));
}

describe('the server is blind', () => {
  it('keeps no plaintext, credential or cookie in its database files, and logs nothing', async () => {
    const log = vi.spyOn(console, 'log');
    const error = vi.spyOn(console, 'error');
    const report = await t.submitReport({ plaintext: utf8(JSON.stringify({ v: 1, what: CANARY })) });
    const view = (await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;
    const keys = [...view.teamKeys, view.reporterPublicKey];
    await request(t.app).post('/api/status/messages').set(json)
      .send({ ...report.credentials, body: await encryptMessage(`${CANARY}-reporter`, keys) }).expect(201);
    const admin = await t.login(t.team.admin);
    await admin.post(`/api/cases/${report.caseId}/messages`, { body: await encryptMessage(`${CANARY}-team`, keys) }).expect(201);
    await admin.post(`/api/cases/${report.caseId}/stage`, { stage: 'acknowledged' }).expect(200);

    const secrets: (string | Uint8Array)[] = [
      CANARY,
      report.credentials.lookupId,
      fromBase64Url(report.credentials.lookupId),
      report.credentials.verifier,
      fromBase64Url(report.credentials.verifier),
      report.wrapKey,
      t.team.admin.verifier,
      t.team.admin.wrapKey,
      admin.cookie,
      fromBase64Url(admin.cookie),
    ];
    const check = (files: Buffer) => {
      for (const secret of secrets) for (const form of forms(secret)) expect(files.includes(form)).toBe(false);
    };
    check(filesOf(dir)); // with the write-ahead log
    t.close(); // checkpoint into the main file
    check(filesOf(dir));
    // The check can see: what is meant to be stored is found.
    expect(filesOf(dir).includes(Buffer.from(t.team.admin.username))).toBe(true);
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});
