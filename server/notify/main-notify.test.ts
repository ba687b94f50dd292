/**
 * The real entry point with OMBUD_SMTP_URL set: a report sent to the running
 * server becomes one notice at the SMTP server, sent at the latest when the
 * server stops; the server's output names no address and no content.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { utf8 } from '../../crypto/index.ts';
import { createTestServer, json } from '../testing.ts';
import { draftReport } from '../testing/reporter.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

let child: ChildProcess | undefined;
let dir: string | undefined;
let smtp: SmtpSink | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  await smtp?.close();
});

async function listeningPort(output: () => string): Promise<string> {
  for (;;) {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output());
    if (match) return match[1]!;
    if (child?.exitCode !== null) throw new Error(`the server stopped:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('server/main.ts with e-mail', () => {
  it('sends the notice of a report through the configured SMTP server, by the time it stops', async () => {
    smtp = await startSmtpSink();
    dir = mkdtempSync(join(tmpdir(), 'ombud-main-notify-'));
    const seeded = await createTestServer({ dbPath: join(dir, 'ombud.db'), team: { name: 'Canary Team Quince', channelSlug: 'canaryquince' } });
    seeded.repos.notifications.set(seeded.team.admin.id, { email: 'admin@example.test', encrypt: false });
    const channel = seeded.team.channelSlug;
    seeded.close();

    const env = {
      PATH: process.env.PATH, OMBUD_DATA_DIR: dir, OMBUD_PORT: '0', OMBUD_POW_DIFFICULTY: '4',
      OMBUD_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, OMBUD_MAIL_FROM: 'Ombud <ombud@example.test>',
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const url = `http://127.0.0.1:${await listeningPort(() => out)}`;

    const draft = await draftReport(url as unknown as Express, {
      channel, plaintext: utf8(JSON.stringify({ v: 1, what: 'CANARY-MAIN-REPORT' })),
    });
    await request(url).post('/api/intake').set(json).send(draft.body).expect(201);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(smtp.mails.map((m) => m.to)).toEqual([['admin@example.test']]);
    expect(smtp.mails[0]!.text).toContain('A new report arrived for your team');
    for (const word of ['CANARY-MAIN-REPORT', 'Canary Team Quince', 'canaryquince']) expect(smtp.mails[0]!.raw).not.toContain(word);
    expect(out).not.toContain('admin@example.test');
  });
});
