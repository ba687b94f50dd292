/**
 * The whole case once, against the real server process with e-mail on and
 * OMBUD_TRUST_PROXY on and off, every request carrying distinctive IP headers, a
 * user agent and a referrer: a report with every form field, a photo (its
 * file name and contents), a voice message, follow-ups, retaliation, a reply
 * with a file, the team's replies (one of them a voice reply), a transcript, a note, a risk rationale,
 * closure and the satisfaction comment. Then a backup is made with the ops
 * command. The canaries — and the network traces — must be in none of: the
 * data folder (db, -wal, -shm, the files' file beside the db; UTF-8, UTF-16, base64, base64url, hex), the
 * backup, the server's stdout/stderr, the e-mails sent. And every stored
 * time tied to a reporter is a day, not a moment.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptPayload, toBase64Url, toHex, utf8 } from '../../crypto/index.ts';
import { encryptMessage, fetchSolvedPow } from '../../server/testing/reporter.ts';
import { startSmtpSink, type SmtpSink } from '../../server/notify/smtp-sink.ts';
import { SECRET_FILE } from '../../server/server-secret.ts';
import type { Express } from 'express';
import { draftAt, send, signIn, type Signed } from './support/client.ts';
import { everyValue, rowsOf } from './support/db-scan.ts';
import { removeSeed, seedDataDir, startProcess, type Seed, type ServerProcess } from './support/seeded-server.ts';

const run = Date.now().toString(36);
const CANARY = {
  what: `CANARY-what-${run}-工厂锁门`, when: `CANARY-when-${run}`, where: `CANARY-where-${run}`, involved: `CANARY-involved-${run}`,
  wish: `CANARY-wish-${run}`, contact: `CANARY-contact-${run}`, fileName: `CANARY-filename-${run}.jpg`,
  fileContent: `CANARY-filecontent-${run}`, voice: `CANARY-voice-${run}`, followUp: `CANARY-followup-${run}`,
  retaliation: `CANARY-retaliation-${run}`, replyFile: `CANARY-replyfile-${run}.pdf`, teamReply: `CANARY-teamreply-${run}`,
  transcript: `CANARY-transcript-${run}`, note: `CANARY-note-${run}`, rationale: `CANARY-rationale-${run}`,
  satisfaction: `CANARY-satisfaction-${run}`, teamVoice: `CANARY-teamvoice-${run}`, teamVoiceName: `CANARY-teamvoicename-${run}.wav`,
  resumedFile: `CANARY-resumed-${run}`, unfinishedFile: `CANARY-unfinished-${run}`,
};
/** Distinctive values a reporter's network and browser send. */
const TRACES = {
  'X-Forwarded-For': '203.0.113.77, 198.51.100.5',
  Forwarded: 'for=198.51.100.23;proto=https;by=192.0.2.60',
  'X-Real-IP': '192.0.2.199',
  'CF-Connecting-IP': '203.0.113.201',
  'True-Client-IP': '198.51.100.144',
  'User-Agent': `Mozilla/5.0 (Linux; Android 9; TraceCanaryPhone-${run})`,
  Referer: `https://referrer-canary-${run}.example/poster?line=3`,
};
const TRACE_NEEDLES = ['203.0.113.77', '198.51.100.5', '198.51.100.23', '192.0.2.60', '192.0.2.199', '203.0.113.201', '198.51.100.144', `TraceCanaryPhone-${run}`, `referrer-canary-${run}`];
const BACKUP_PASSPHRASE = 'blindness test backup passphrase';

// Once with the proxy headers believed (the throttle then reads X-Forwarded-For), once as by default.
describe.each(['1', 'false'])('with OMBUD_TRUST_PROXY=%s', (trustProxy) => {
  let seed: Seed;
  let smtp: SmtpSink;
  let server: ServerProcess;
  let admin: Signed;
  let backupFile: string;
  const backupDir = mkdtempSync(join(tmpdir(), 'ombud-sec-backup-'));
  const dataFolderReads: { name: string; bytes: Buffer }[] = [];
  /** Every stored value while the server runs (pending notices and all), and again after it stopped. */
  const storedValues: { label: string; values: ReturnType<typeof everyValue> }[] = [];

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    send(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...TRACES, ...headers }, body: JSON.stringify(body) });

  function readDataFolder(label: string): void {
    for (const name of readdirSync(seed.dataDir)) dataFolderReads.push({ name: `${label}:${name}`, bytes: readFileSync(join(seed.dataDir, name)) });
  }

  beforeAll(async () => {
    seed = await seedDataDir();
    smtp = await startSmtpSink();
    server = await startProcess(seed.dataDir, {
      OMBUD_TRUST_PROXY: trustProxy, OMBUD_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, OMBUD_MAIL_FROM: 'Ombud <ombud@example.test>',
    });
    admin = await signIn(server.url, seed.teamA.admin, TRACES);
    expect((await admin.post('/api/account/notifications', { email: 'lead@example.test', encrypt: false })).status).toBe(200);

    // The worker: two files (a photo with its name inside the report, a voice message), then the report.
    const draftFor = await draftAt(server.url, { channel: 'factory-a' });
    const recipients = [...draftFor.channel.teams[0]!.recipientKeys, draftFor.reporterKey.publicKey];
    const ticket = (await (await post('/api/uploads/ticket', { pow: await fetchSolvedPow(server.url as unknown as Express) })).json()) as { ticket: string };
    const upload = async (content: string) => {
      const bytes = await encryptPayload({ data: utf8(content), recipients });
      const res = await send(`${server.url}/api/uploads`, {
        method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': ticket.ticket, ...TRACES }, body: bytes,
      });
      expect(res.status, res.text).toBe(201);
      return (res.json() as { uploadId: string }).uploadId;
    };
    const photo = await upload(`JFIF ${CANARY.fileContent}`);
    const voice = await upload(`RIFF WAVE ${CANARY.voice}`);
    // A file sent as a resumable upload in two parts (as after a cut connection), and one left unfinished:
    // its pieces stay in the database while the data folder is read.
    const resumable = async (content: string, finish: boolean) => {
      const bytes = await encryptPayload({ data: utf8(content), recipients });
      const headers = {
        'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': ticket.ticket,
        'X-Ombud-Upload-Digest': createHash('sha256').update(bytes).digest('hex'), ...TRACES,
      };
      const opened = await send(`${server.url}/api/uploads/resumable`, {
        method: 'POST', headers: { ...headers, 'X-Ombud-Upload-Length': String(bytes.length) }, body: new Uint8Array(0),
      });
      expect(opened.status, opened.text).toBe(201);
      const id = (opened.json() as { uploadId: string }).uploadId;
      const part = (from: number, to: number) =>
        send(`${server.url}/api/uploads/${id}`, { method: 'PATCH', headers: { ...headers, 'X-Ombud-Upload-Offset': String(from) }, body: bytes.subarray(from, to) });
      const half = Math.floor(bytes.length / 2);
      expect((await part(0, half)).status).toBe(200);
      if (finish) expect((await part(half, bytes.length)).status).toBe(200);
      return id;
    };
    const resumed = await resumable(`JFIF ${CANARY.resumedFile}`, true);
    await resumable(`JFIF ${CANARY.unfinishedFile}`, false);
    const report = { v: 1, lang: 'zh-CN', category: 'safety', what: CANARY.what, when: CANARY.when, where: CANARY.where, ongoing: true,
      involved: CANARY.involved, wish: CANARY.wish, contact: CANARY.contact,
      attachments: [{ id: photo, name: CANARY.fileName, type: 'image/jpeg' }, { id: voice, name: 'voice.wav', type: 'audio/wav' },
        { id: resumed, name: 'resumed.jpg', type: 'image/jpeg' }] };
    const draft = { ...draftFor, body: { ...draftFor.body, report: toBase64Url(await encryptPayload({ data: utf8(JSON.stringify(report)), recipients })) } };
    expect((await post('/api/intake', { ...draft.body, attachments: [photo, voice, resumed], uploadTicket: ticket.ticket })).status).toBe(201);
    const creds = draft.credentials;

    // Follow-ups from the worker, and the team's work on the case.
    expect((await post('/api/status', creds)).status).toBe(200);
    expect((await post('/api/status/messages', { ...creds, body: await encryptMessage(CANARY.followUp, recipients) })).status).toBe(201);
    expect((await post('/api/status/retaliation', { ...creds, body: await encryptMessage(CANARY.retaliation, recipients) })).status).toBe(201);
    const caseId = ((await admin.get('/api/cases', TRACES)).json() as { cases: { id: string }[] }).cases[0]!.id;
    const detail = (await admin.get(`/api/cases/${caseId}`, TRACES)).json() as { noteKeys: string[] };
    const team = (path: string, body: unknown) => admin.post(`/api/cases/${caseId}/${path}`, body);
    expect((await team('stage', { stage: 'acknowledged', reason: 'received' })).status).toBe(200);
    expect((await team('messages', { body: await encryptMessage(CANARY.teamReply, recipients) })).status).toBe(201);
    // The team's voice reply: the recording staged, then named inside the message that carries it.
    const voiceReply = await send(`${server.url}/api/cases/${caseId}/voice`, {
      method: 'POST', body: await encryptPayload({ data: utf8(`RIFF WAVE ${CANARY.teamVoice}`), recipients }),
      headers: { Cookie: `ombud_session=${admin.cookie}`, 'X-Ombud-CSRF': admin.csrf, 'Content-Type': 'application/octet-stream', ...TRACES },
    });
    expect(voiceReply.status, voiceReply.text).toBe(201);
    const voiceId = (voiceReply.json() as { uploadId: string }).uploadId;
    const voiceMessage = JSON.stringify({ v: 1, kind: 'message', text: '', attachments: [{ id: voiceId, name: CANARY.teamVoiceName, type: 'audio/wav', size: 40, kind: 'voice' }] });
    const voiceSent = await team('messages', { body: await encryptMessage(voiceMessage, recipients), voice: voiceId });
    expect(voiceSent.status, voiceSent.text).toBe(201);
    expect((await team('messages', { body: await encryptMessage(JSON.stringify({ kind: 'transcript', text: CANARY.transcript }), recipients) })).status).toBe(201);
    expect((await team('notes', { body: await encryptMessage(CANARY.note, detail.noteKeys) })).status).toBe(201);
    const version = ((await admin.get(`/api/cases/${caseId}`)).json() as { case: { version: number } }).case.version;
    const risk = await team('risk', { level: 'high', rationale: await encryptMessage(CANARY.rationale, detail.noteKeys), version });
    expect(risk.status, risk.text).toBe(200);
    const replyTicket = (await (await post('/api/uploads/ticket', { pow: await fetchSolvedPow(server.url as unknown as Express) })).json()) as { ticket: string };
    const replyFile = await encryptPayload({ data: utf8(`%PDF ${CANARY.replyFile}`), recipients });
    const staged = await send(`${server.url}/api/uploads`, {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': replyTicket.ticket, ...TRACES }, body: replyFile,
    });
    const replyUpload = (staged.json() as { uploadId: string }).uploadId;
    const reply = await post('/api/status/messages', {
      ...creds, body: await encryptMessage(JSON.stringify({ text: 'see file', files: [{ id: replyUpload, name: CANARY.replyFile }] }), recipients),
      attachments: [replyUpload], uploadTicket: replyTicket.ticket,
    });
    expect(reply.status, reply.text).toBe(201);
    expect((await team('stage', { stage: 'closed', reason: 'handled', outcome: 'substantiated' })).status).toBe(200);
    expect((await post('/api/status/satisfaction', { ...creds, body: await encryptMessage(CANARY.satisfaction, recipients) })).status).toBe(201);

    readDataFolder('running'); // the WAL and shared memory as they are while the server runs
    storedValues.push({ label: 'running', values: everyValue(seed.dataDir) });
    backupFile = join(backupDir, 'ombud.backup');
    execFileSync('node_modules/.bin/tsx', ['server/cli/ombud.ts', 'backup', '--out', backupFile], {
      env: { PATH: process.env.PATH ?? '', OMBUD_DATA_DIR: seed.dataDir, OMBUD_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE }, stdio: 'pipe',
    });
    // The backup is encrypted; what it holds is scanned too, as a restore brings it back.
    execFileSync('node_modules/.bin/tsx', ['server/cli/ombud.ts', 'restore', '--from', backupFile, '--data-dir', join(backupDir, 'restored')], {
      env: { PATH: process.env.PATH ?? '', OMBUD_DATA_DIR: seed.dataDir, OMBUD_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE }, stdio: 'pipe',
    });
    await server.stop(); // sends the pending notices
    readDataFolder('stopped');
    storedValues.push({ label: 'stopped', values: everyValue(seed.dataDir) });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    removeSeed(seed);
    rmSync(backupDir, { recursive: true, force: true });
  });

  function encodings(secret: string): Buffer[] {
    const bytes = Buffer.from(secret, 'utf8');
    return [bytes, Buffer.from(secret, 'utf16le'), Buffer.from(bytes.toString('base64')), Buffer.from(toBase64Url(bytes)), Buffer.from(toHex(bytes))];
  }
  const canaries = () => [...Object.values(CANARY), ...Object.values(CANARY).map((c) => c.split('-工')[0]!)];

  function expectAbsent(where: string, bytes: Buffer, needles: string[]): void {
    for (const needle of needles) {
      for (const form of encodings(needle)) expect(bytes.includes(form), `${needle} in ${where}`).toBe(false);
    }
  }

  describe('the server stays blind to every kind of content', () => {
    it('keeps no canary in the data folder, running or stopped', () => {
      expect(dataFolderReads.some((f) => f.name.endsWith('-wal'))).toBe(true);
      // The files' file beside the database, where the photo's, the voice message's and the reply file's ciphertext lie.
      expect(dataFolderReads.some((f) => f.name.endsWith(':ombud-files.db') && f.bytes.length > 8192)).toBe(true);
      for (const file of dataFolderReads) expectAbsent(file.name, file.bytes, canaries());
      // The scan can see: what is meant to be stored in the clear is found.
      expect(dataFolderReads.some((f) => f.bytes.includes(Buffer.from(seed.teamA.admin.username)))).toBe(true);
    });

    it('keeps no canary in the backup the ops command writes, nor in what it restores', () => {
      const bytes = readFileSync(backupFile);
      expect(bytes.length).toBeGreaterThan(10_000);
      expectAbsent('the backup', bytes, canaries());
      const restored = readFileSync(join(backupDir, 'restored', 'ombud.db'));
      expectAbsent('the restored backup', restored, canaries());
      const restoredFiles = readFileSync(join(backupDir, 'restored', 'ombud-files.db'));
      expect(restoredFiles.length).toBeGreaterThan(8192); // more than an empty one's two pages
      expectAbsent('the restored files\' file', restoredFiles, canaries());
      // The scan can see: what is meant to be stored in the clear is in the restored database, not in the encrypted file.
      expect(restored.includes(Buffer.from(seed.teamA.admin.username))).toBe(true);
      expect(bytes.includes(Buffer.from(seed.teamA.admin.username))).toBe(false);
    });

    it('prints no canary and no request detail', () => {
      expectAbsent('the server output', Buffer.from(server.output()), [...canaries(), ...TRACE_NEEDLES]);
      expect(server.output()).not.toMatch(/POST|GET \/api/);
    });

    it('e-mails that something needs attention, and nothing of it', () => {
      expect(smtp.mails.length).toBeGreaterThan(0);
      for (const mail of smtp.mails) expectAbsent(`mail to ${mail.to.join(',')}`, Buffer.from(mail.raw), [...canaries(), ...TRACE_NEEDLES]);
    });
  });

  describe('the server secret', () => {
    it('is in its own file only: not in the database files, not in the output, not in an e-mail', () => {
      const secret = readFileSync(join(seed.dataDir, SECRET_FILE));
      expect(secret.length).toBe(32);
      const forms = [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('base64url')), Buffer.from(secret.toString('hex'))];
      for (const file of dataFolderReads.filter((f) => !f.name.endsWith(SECRET_FILE))) {
        for (const form of forms) expect(file.bytes.includes(form), file.name).toBe(false);
      }
      // Nor in the backup (encrypted under the operator's passphrase since protocol v2; format 1 held it in the clear).
      for (const form of forms) expect(readFileSync(backupFile).includes(form), 'the backup').toBe(false);
      for (const form of forms.slice(1)) {
        expect(server.output().includes(form.toString())).toBe(false);
        for (const mail of smtp.mails) expect(mail.raw.includes(form.toString())).toBe(false);
      }
    });
  });

  describe('no trace of the reporter', () => {
    it('stores no IP address, user agent or referrer', () => {
      for (const file of dataFolderReads) expectAbsent(file.name, file.bytes, TRACE_NEEDLES);
      expectAbsent('the backup', readFileSync(backupFile), TRACE_NEEDLES);
      const stored = everyValue(seed.dataDir).map((v) => (Buffer.isBuffer(v.value) ? v.value.toString('latin1') : String(v.value))).join('\n');
      expect(stored).not.toMatch(/\b(?:\d{1,3}\.){3}\d{1,3}\b/); // no IPv4 address anywhere
      expect(stored).not.toMatch(/Mozilla|Android|https?:\/\/referrer/);
    });

    /**
     * Columns that may hold a moment (milliseconds): the investigators' own
     * activity, and expiry times of things no reporter causes. Everything else
     * that looks like a time must be a day (YYYY-MM-DD).
     */
    const MOMENT_COLUMNS = new Set([
      'sessions.created_at', 'sessions.last_seen_at', 'sessions.expires_at',
      'invites.created_at', 'invites.expires_at', 'invites.used_at', 'invites.revoked_at',
      'setup_tokens.created_at', 'setup_tokens.expires_at', 'setup_tokens.used_at',
      'investigator_totp.created_at', 'investigator_totp.confirmed_at', 'investigator_totp.last_step',
      'investigator_recovery_codes.used_at', 'team_index_keys.created_at',
    ]);

    it('dates reporter activity by the day only', () => {
      const now = Date.now();
      const moments: string[] = [];
      for (const { label, values } of storedValues) for (const { table, column, value } of values) {
        const key = `${label}: ${table}.${column}`;
        // A number near now, in ms or s, that is not a whole UTC day, is a moment.
        const isMomentMs = typeof value === 'number' && Math.abs(value - now) < 400 * 86_400_000 && value % 86_400_000 !== 0;
        const isMomentS = typeof value === 'number' && Math.abs(value - now / 1000) < 400 * 86_400 && value % 86_400 !== 0;
        const isIsoTime = typeof value === 'string' && /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value);
        if ((isMomentMs || isMomentS || isIsoTime) && !MOMENT_COLUMNS.has(`${table}.${column}`)) moments.push(`${key} = ${String(value)}`);
      }
      // The audit trail's `at` is checked apart: investigators' events may carry the moment, the reporter's may not.
      expect(moments.filter((m) => !m.includes(': audit_events.at '))).toEqual([]);
      const audit = rowsOf(seed.dataDir, 'audit_events');
      // Reporter events wait for the daily batch in audit_pending (day only, no order: protocol v2); sealed ones are in the chain.
      const pending = rowsOf(seed.dataDir, 'audit_pending');
      expect(pending.every((row) => Object.keys(row).sort().join() === 'action,case_id,day,detail,id')).toBe(true);
      const reporterEvents: Array<Record<string, unknown>> = [...audit.filter((row) => row.actor === 'reporter'), ...pending.map((row) => ({ ...row, at: null }))];
      expect(reporterEvents.length).toBeGreaterThan(2);
      for (const row of reporterEvents) {
        expect(row.at === null || (typeof row.at === 'number' && row.at % 86_400_000 === 0), `${String(row.action)} at ${String(row.at)}`).toBe(true);
      }
    });
  });
});
