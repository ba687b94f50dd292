/**
 * E-mail notices against a real SMTP server on loopback (./smtp-sink.ts).
 * Backs docs/threat-model.md: an e-mail says only that something needs
 * attention — no content, category, channel, team or reporter detail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatusView } from '../../common/api.ts';
import { decryptText, utf8 } from '../../crypto/index.ts';
import { createTestServer, encryptMessage, json, type TestServer, type TestServerOptions } from '../testing.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { ConfigError, parseConfig } from '../config.ts';
import { createSmtpMailer, requiresStartTls } from './mailer.ts';
import { NOTICE_SUBJECT } from './notices.ts';
import { startNotifyScheduler } from './scheduler.ts';
import { selfSignedCertificate, startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.ts';

const CANARY = {
  team: 'Canary Team Tangerine',
  channel: 'canaryfactoryplum',
  report: 'CANARY-REPORT-7f3a',
  category: 'CANARY-CATEGORY-wage-theft',
  reply: 'CANARY-REPLY-91c2',
  retaliation: 'CANARY-RETALIATION-55d0',
};
const FROM = 'Ombud <ombud@example.test>';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
  vi.restoreAllMocks();
});

async function sink(options: Parameters<typeof startSmtpSink>[0] = {}): Promise<SmtpSink> {
  const s = await startSmtpSink(options);
  cleanup.push(() => s.close());
  return s;
}

async function server(smtp: SmtpSink, options: TestServerOptions = {}): Promise<TestServer> {
  const t = await createTestServer({
    team: { name: CANARY.team, channelSlug: CANARY.channel },
    ...options,
    config: { mail: { smtpUrl: `smtp://ombud:s3cret@127.0.0.1:${smtp.port}`, from: FROM }, ...options.config },
  });
  cleanup.push(() => t.close());
  return t;
}

function reportWithCanaries() {
  return { plaintext: utf8(JSON.stringify({ v: 1, category: CANARY.category, what: CANARY.report })) };
}

async function statusView(t: TestServer, credentials: object): Promise<StatusView> {
  return (await request(t.app).post('/api/status').set(json).send(credentials).expect(200)).body as StatusView;
}

function expectNoLeak(t: TestServer, mails: ReceivedMail[], caseIds: string[]): void {
  const forbidden = [
    ...Object.values(CANARY), CANARY.team.toLowerCase(), `${CANARY.team} channel`, t.team.id, t.team.admin.username,
    t.team.admin.displayName, ...caseIds,
  ];
  for (const mail of mails) {
    expect(mail.subject).toBe(NOTICE_SUBJECT);
    for (const word of forbidden) expect(mail.raw).not.toContain(word);
  }
}

describe('e-mail notices of events', () => {
  it('tells every investigator of the case\'s teams about a new case, and nobody else', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    const colleague = await t.addInvestigator(t.team);
    const quiet = await t.addInvestigator(t.team); // left no address
    const gone = await t.addInvestigator(t.team);
    const second = await t.addTeam({ name: 'Second team' });
    const other = await t.addTeam({ name: 'Other team' });
    t.repos.channels.create({ slug: 'both', name: 'Both', createdDay: '2025-03-14', teamIds: [t.team.id, second.id] });
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    t.repos.notifications.set(colleague.id, { email: 'colleague@example.test', encrypt: false });
    t.repos.notifications.set(gone.id, { email: 'gone@example.test', encrypt: false });
    t.repos.investigators.setDisabled(gone.id, true);
    t.repos.notifications.set(second.admin.id, { email: 'second@example.test', encrypt: false });
    t.repos.notifications.set(other.admin.id, { email: 'other@example.test', encrypt: false });
    void quiet;

    const report = await t.submitReport({ channel: 'both', teamIds: [t.team.id, second.id], ...reportWithCanaries() });
    await t.app.ombud.notify.flush();

    const mails = await smtp.waitFor(3);
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['admin@example.test', 'colleague@example.test', 'second@example.test']);
    for (const mail of mails) {
      expect(mail.text).toContain(`- A new report arrived for your team (case ${report.caseId.slice(0, 8)}).`);
      expect(mail.text).toContain('http://127.0.0.1:8080/team');
      expect(mail.raw).toMatch(/^from: .*ombud@example\.test/im);
      expect(mail.user).toBe('ombud');
    }
    expect(t.app.ombud.notify.stats).toEqual({ sent: 3, failed: 0 });
  });

  it('tells the team when the reporter writes, and urgently when they report retaliation — without a word of either', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    const report = await t.submitReport(reportWithCanaries());
    const view = await statusView(t, report.credentials);
    const keys = [...view.teamKeys, view.reporterPublicKey];

    const reply = await encryptMessage(CANARY.reply, keys);
    await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body: reply }).expect(201);
    await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body: await encryptMessage('again', keys) }).expect(201);
    const retaliation = await encryptMessage(CANARY.retaliation, keys);
    await request(t.app).post('/api/status/retaliation').set(json).send({ ...report.credentials, body: retaliation }).expect(201);
    await t.app.ombud.notify.flush();

    const mails = await smtp.waitFor(1);
    expect(mails).toHaveLength(1); // together, in one notice
    const short = report.caseId.slice(0, 8);
    expect(mails[0]!.text.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      `- URGENT: the reporter of case ${short} reports retaliation.`,
      `- A new report arrived for your team (case ${short}).`,
      `- The reporter wrote a new message on case ${short}.`,
    ]);
    expectNoLeak(t, mails, [report.caseId]);
    for (const mail of mails) {
      expect(mail.raw).not.toContain(reply);
      expect(mail.raw).not.toContain(retaliation);
    }
  });

  it('tells nobody excluded from the case for a conflict of interest, neither at once nor in the digest', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    const excluded = await t.addInvestigator(t.team);
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    t.repos.notifications.set(excluded.id, { email: 'excluded@example.test', encrypt: false });
    const report = await t.submitReport();
    await t.app.ombud.notify.flush();
    expect(smtp.mails.flatMap((m) => m.to).sort()).toEqual(['admin@example.test', 'excluded@example.test']);

    t.repos.caseWork.exclude(report.caseId, excluded.id, '2025-03-14', t.team.admin.id);
    const view = await statusView(t, report.credentials);
    const keys = [...view.teamKeys, view.reporterPublicKey];
    await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body: await encryptMessage('hi', keys) }).expect(201);
    await t.app.ombud.notify.flush();
    t.clock.advance({ days: 8 });
    expect(await t.app.ombud.notify.runDigest()).toBe(1);
    expect(smtp.mails.slice(2).map((m) => m.to)).toEqual([['admin@example.test'], ['admin@example.test']]);
  });

  it('encrypts the notice to the investigator\'s own key when they ask, as an armored OpenPGP message', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    const admin = await t.login(t.team.admin);
    const set = await admin.post('/api/account/notifications', { email: 'admin@example.test', encrypt: true }).expect(200);
    expect(set.body).toEqual({ email: 'admin@example.test', encrypt: true, mailConfigured: true });

    const report = await t.submitReport(reportWithCanaries());
    await t.app.ombud.notify.flush();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe(NOTICE_SUBJECT);
    expect(mail!.text.startsWith('-----BEGIN PGP MESSAGE-----\n')).toBe(true);
    expect(mail!.text).not.toContain('new report');
    const plain = await decryptText({ armored: mail!.text, key: t.team.admin.keyPair.privateKey });
    expect(plain).toContain(`A new report arrived for your team (case ${report.caseId.slice(0, 8)})`);
    expect(plain).toContain('http://127.0.0.1:8080/team');
    expectNoLeak(t, [mail!], [report.caseId]);
  });

  it('holds notices back until the next check, so that a mail does not tell the minute a worker reported', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const smtp = await sink({ hold: () => released });
    const t = await server(smtp);
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    await t.submitReport(); // answered 201 without contacting the mail server
    await t.submitReport();
    expect(smtp.mails).toHaveLength(0);
    const flushing = t.app.ombud.notify.flush();
    await t.submitReport(); // answered while the mail server is still busy
    release();
    expect(await flushing).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.text.match(/A new report arrived/g)).toHaveLength(2);
    expect(await t.app.ombud.notify.flush()).toBe(1); // the third, at the next check
  });

  it('keeps taking reports when the mail server refuses or is gone, and logs no address or content', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const refusing = await sink({ refuse: true });
    const t = await server(refusing);
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    await t.submitReport(reportWithCanaries());
    await t.app.ombud.notify.flush();
    expect(t.app.ombud.notify.stats).toEqual({ sent: 0, failed: 1 });

    const gone = await startSmtpSink();
    await gone.close(); // nothing listens on this port any more
    const u = await server(gone);
    u.repos.notifications.set(u.team.admin.id, { email: 'admin@example.test', encrypt: false });
    await u.submitReport(reportWithCanaries());
    await u.app.ombud.notify.flush();
    expect(u.app.ombud.notify.stats).toEqual({ sent: 0, failed: 1 });

    const logged = errors.mock.calls.flat().map(String).join('\n');
    expect(logged).toContain('could not be sent');
    for (const word of ['admin@example.test', CANARY.report, CANARY.team, CANARY.channel]) expect(logged).not.toContain(word);
  });

  it('sends nothing when no SMTP server is configured', async () => {
    const t = await createTestServer();
    cleanup.push(() => t.close());
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    await t.submitReport();
    await t.app.ombud.notify.flush();
    expect(t.app.ombud.notify.stats).toEqual({ sent: 0, failed: 0 });
    expect(await t.app.ombud.notify.runDigest()).toBe(0);
    const admin = await t.login(t.team.admin);
    expect((await admin.get('/api/account/notifications').expect(200)).body).toMatchObject({ mailConfigured: false });
  });
});

describe('the scheduler', () => {
  it('sends what is still pending when it stops (a clean shutdown loses no notice)', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    const scheduler = startNotifyScheduler(t.app.ombud.notify);
    await t.submitReport();
    await scheduler.stop();
    expect(smtp.mails.map((m) => m.to)).toEqual([['admin@example.test']]);
  });
});

describe('transport security', () => {
  const cert = selfSignedCertificate();

  it('upgrades to TLS with STARTTLS when the server offers it', async () => {
    const smtp = await sink({ tls: 'starttls', cert });
    const mail = { smtpUrl: `smtp://ombud:s3cret@127.0.0.1:${smtp.port}`, from: FROM };
    const t = await server(smtp, { mailer: createSmtpMailer(mail, { tls: { ca: cert.cert } }) });
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    await t.submitReport();
    await t.app.ombud.notify.flush();
    const [received] = await smtp.waitFor(1);
    expect(received!.secure).toBe(true);
    expect(received!.user).toBe('ombud');
  });

  it('insists on STARTTLS with another machine, not with a relay on this one, unless the URL says otherwise', async () => {
    expect(requiresStartTls('smtp://u:p@mail.example.org:587')).toBe(true);
    expect(requiresStartTls('smtp://10.0.0.5:25')).toBe(true);
    expect(requiresStartTls('smtp://127.0.0.1:25')).toBe(false);
    expect(requiresStartTls('smtp://localhost:25')).toBe(false);
    expect(requiresStartTls('smtp://[::1]:25')).toBe(false);
    expect(requiresStartTls('smtps://mail.example.org:465')).toBe(false); // TLS from the start anyway

    const plain = await sink(); // offers no STARTTLS
    const strict = createSmtpMailer({ smtpUrl: `smtp://ombud:s3cret@127.0.0.1:${plain.port}?requireTLS=true`, from: FROM });
    await expect(strict.send({ to: 'admin@example.test', subject: NOTICE_SUBJECT, text: 'x' })).rejects.toThrow();
    expect(plain.mails).toHaveLength(0);
  });

  it('speaks TLS from the start with smtps://, and refuses a certificate it cannot verify', async () => {
    const smtp = await sink({ tls: 'implicit', cert });
    const mail = { smtpUrl: `smtps://ombud:s3cret@127.0.0.1:${smtp.port}`, from: FROM };
    const trusting = createSmtpMailer(mail, { tls: { ca: cert.cert } });
    await trusting.send({ to: 'admin@example.test', subject: NOTICE_SUBJECT, text: 'hello' });
    expect(smtp.mails.map((m) => m.secure)).toEqual([true]);
    await expect(createSmtpMailer(mail).send({ to: 'admin@example.test', subject: NOTICE_SUBJECT, text: 'x' })).rejects.toThrow();
    expect(smtp.mails).toHaveLength(1);
  });
});

describe('the daily deadline digest', () => {
  it('counts deadlines once a day, not again after a restart, and says which are missed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ombud-digest-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'ombud.db');
    const smtp = await sink();
    const t = await server(smtp, { dbPath });
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    const report = await t.submitReport(reportWithCanaries()); // Friday 14 March, acknowledgement due 21 March
    await t.app.ombud.notify.flush();
    const short = report.caseId.slice(0, 8);
    const afterIntake = smtp.mails.length;

    expect(await t.app.ombud.notify.runDigest()).toBe(0); // nothing due yet
    t.clock.advance({ days: 5 }); // 19 March: due within 2 days
    expect(await t.app.ombud.notify.runDigest()).toBe(1);
    expect(await t.app.ombud.notify.runDigest()).toBe(0); // the next hourly check
    const [soon] = (await smtp.waitFor(afterIntake + 1)).slice(afterIntake);
    expect(soon!.text).toContain(`- 1 acknowledgement due within 2 days: ${short}`);
    expect(soon!.text).not.toContain('overdue');

    // A restart on the same data folder, the same day: not sent again.
    const now = t.clock.now();
    const restarted = await server(smtp, { dbPath, team: false, clockStart: now });
    expect(await restarted.app.ombud.notify.runDigest()).toBe(0);

    restarted.clock.advance({ days: 3 }); // 22 March, 09:30: acknowledgement missed
    restarted.clock.set(new Date(restarted.clock.now()).toISOString().slice(0, 10) + 'T03:00:00Z');
    expect(await restarted.app.ombud.notify.runDigest()).toBe(0); // too early in the day
    restarted.clock.advance({ hours: 4 });
    expect(await restarted.app.ombud.notify.runDigest()).toBe(1);
    const missed = smtp.mails.at(-1)!;
    expect(missed.text).toContain(`- 1 acknowledgement overdue: ${short}`);
    expectNoLeak(t, smtp.mails, [report.caseId]);
  });

  it('counts feedback due within 14 days and missed, and forgets concluded cases', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    const report = await t.submitReport();
    await t.app.ombud.notify.flush();
    const short = report.caseId.slice(0, 8);
    // Not acknowledged: feedback is due 3 months after the acknowledgement was due (21 June).
    t.clock.set('2025-06-10T08:00:00Z');
    expect(await t.app.ombud.notify.runDigest()).toBe(1);
    expect(smtp.mails.at(-1)!.text).toContain(`- 1 feedback to the reporter due within 14 days: ${short}`);
    t.clock.set('2025-06-22T08:00:00Z');
    expect(await t.app.ombud.notify.runDigest()).toBe(1);
    expect(smtp.mails.at(-1)!.text).toContain(`- 1 feedback to the reporter overdue: ${short}`);

    t.repos.cases.changeStage({
      caseId: report.caseId, from: 'received', to: 'concluded', day: '2025-06-22', reason: null,
      investigatorId: t.team.admin.id, acknowledgedDay: '2025-06-22', closedDay: null,
    });
    const before = smtp.mails.length;
    t.clock.advance({ days: 1 });
    expect(await t.app.ombud.notify.runDigest()).toBe(0);
    expect(smtp.mails).toHaveLength(before);
  });

  it('retries the next hour when the mail server failed', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const refusing = await sink({ refuse: true });
    const t = await server(refusing);
    t.repos.notifications.set(t.team.admin.id, { email: 'admin@example.test', encrypt: false });
    await t.submitReport();
    await t.app.ombud.notify.flush();
    t.clock.advance({ days: 8 });
    expect(await t.app.ombud.notify.runDigest()).toBe(0);
    expect(t.repos.notifications.find(t.team.admin.id)?.lastDigestDay).toBeNull();
  });
});

describe('POST /api/account/notifications', () => {
  it('sets, reads and removes my own address, with the CSRF header only', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    const admin = await t.login(t.team.admin);
    expect((await admin.get('/api/account/notifications').expect(200)).body).toEqual({ email: null, encrypt: false, mailConfigured: true });

    await admin.agent.post('/api/account/notifications').set(json).send({ email: 'a@example.test', encrypt: false }).expect(403);
    await admin.agent.post('/api/account/notifications').set(json).set(CSRF_HEADER, 'wrong').send({ email: 'a@example.test', encrypt: false }).expect(403);
    await admin.post('/api/account/notifications', { email: 'not an address', encrypt: false }).expect(400);
    expect(t.repos.notifications.find(t.team.admin.id)).toBeUndefined();

    await admin.post('/api/account/notifications', { email: 'a@example.test', encrypt: false }).expect(200);
    expect((await admin.get('/api/account/notifications').expect(200)).body).toEqual({ email: 'a@example.test', encrypt: false, mailConfigured: true });
    await admin.post('/api/account/notifications', { email: null, encrypt: false }).expect(200);
    expect(t.repos.notifications.find(t.team.admin.id)).toBeUndefined();
    await request(t.app).get('/api/account/notifications').expect(401);
  });
});

describe('configuration', () => {
  it('reads OMBUD_SMTP_URL and OMBUD_MAIL_FROM, and sends no e-mail without them', () => {
    expect(parseConfig({}).mail).toBeUndefined();
    const mail = parseConfig({ OMBUD_SMTP_URL: 'smtps://user:p%40ss@mail.example.org:465', OMBUD_MAIL_FROM: FROM }).mail;
    expect(mail).toEqual({ smtpUrl: 'smtps://user:p%40ss@mail.example.org:465', from: FROM });
    expect(() => parseConfig({ OMBUD_SMTP_URL: 'smtp://mail.example.org:587' })).toThrow(ConfigError);
    expect(() => parseConfig({ OMBUD_SMTP_URL: 'https://mail.example.org', OMBUD_MAIL_FROM: FROM })).toThrow(ConfigError);
  });
});

describe('notices in the language the investigator chose (PUT /api/account/language)', () => {
  it('writes the events and the digest in zh-CN and vi, subject too, and English to whoever chose none', async () => {
    const smtp = await sink();
    const t = await server(smtp);
    const chinese = await t.addInvestigator(t.team);
    const vietnamese = await t.addInvestigator(t.team);
    for (const [who, email] of [[t.team.admin, 'admin@example.test'], [chinese, 'zh@example.test'], [vietnamese, 'vi@example.test']] as const) {
      t.repos.notifications.set(who.id, { email, encrypt: false });
    }
    const zh = await t.login(chinese);
    const vn = await t.login(vietnamese);
    expect(zh.session.investigator.language).toBeNull();
    await zh.agent.put('/api/account/language').set(json).send({ language: 'zh-CN' }).expect(403); // no CSRF header
    await zh.agent.put('/api/account/language').set(json).set(CSRF_HEADER, zh.session.csrfToken).send({ language: 'klingon' }).expect(400);
    expect(t.repos.investigators.languageOf(chinese.id)).toBeNull();
    expect((await zh.agent.put('/api/account/language').set(json).set(CSRF_HEADER, zh.session.csrfToken).send({ language: 'zh-CN' }).expect(200)).body)
      .toEqual({ language: 'zh-CN' });
    await vn.agent.put('/api/account/language').set(json).set(CSRF_HEADER, vn.session.csrfToken).send({ language: 'vi' }).expect(200);
    expect((await zh.get('/api/auth/session').expect(200)).body.investigator.language).toBe('zh-CN');

    const report = await t.submitReport(reportWithCanaries());
    const short = report.caseId.slice(0, 8);
    await t.app.ombud.notify.flush();
    const mails = await smtp.waitFor(3);
    const to = (address: string) => mails.find((m) => m.to.includes(address))!;
    expect(to('zh@example.test').subject).toBe('Ombud：有事项需要您处理');
    expect(to('zh@example.test').text).toContain(`您的团队收到一件新的反映（案件 ${short}）`);
    expect(to('vi@example.test').subject).toBe('Ombud: có việc cần bạn xử lý');
    expect(to('vi@example.test').text).toContain(`Nhóm của bạn vừa nhận một phản ánh mới (vụ việc ${short})`);
    expect(to('admin@example.test').subject).toBe(NOTICE_SUBJECT);
    expect(to('admin@example.test').text).toContain(`A new report arrived for your team (case ${short})`);
    for (const mail of mails) for (const word of Object.values(CANARY)) expect(mail.raw).not.toContain(word);

    t.clock.advance({ days: 8 });
    expect(await t.app.ombud.notify.runDigest()).toBe(3);
    const digests = (await smtp.waitFor(6)).slice(3);
    const digestTo = (address: string) => digests.find((m) => m.to.includes(address))!.text;
    expect(digestTo('zh@example.test')).toMatch(/截至\d{4}年\d{1,2}月\d{1,2}日，本团队案件的期限提醒/);
    expect(digestTo('zh@example.test')).toContain(`已逾期未确认受理：1 个案件（${short}）`);
    expect(digestTo('vi@example.test')).toContain(`đã quá hạn xác nhận tiếp nhận: 1 vụ việc (${short})`);
    expect(digestTo('admin@example.test')).toContain(`- 1 acknowledgement overdue: ${short}`);

    // Back to "follow the browser" (a new session: the first one timed out over the 8 days).
    const again = await t.login(chinese);
    expect(again.session.investigator.language).toBe('zh-CN');
    await again.agent.put('/api/account/language').set(json).set(CSRF_HEADER, again.session.csrfToken).send({ language: null }).expect(200);
    expect(t.repos.investigators.languageOf(chinese.id)).toBeNull();
  });
});
