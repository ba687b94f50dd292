/**
 * The reverse-proxy recipes of deploy/, run for real: nginx and Caddy start
 * as unprivileged processes on free loopback ports with the recipe file
 * itself (only host names, ports and paths replaced, each replacement
 * checked), TLS with a certificate made here by openssl, and Ombud behind
 * each with OMBUD_TRUST_PROXY=1. Through each proxy over TLS:
 *
 * - a worker reports in Chromium, gets the receipt, and the status page opens
 *   the case with the token;
 * - a forged left-most X-Forwarded-For does not reach the throttle key: the
 *   address the proxy added is the one counted, so wrong tokens sent with a
 *   new forged address each time are still throttled;
 * - a 20 MB encrypted attachment goes through; a 30 MB body is refused by the
 *   proxy with 413 before Ombud sees a byte;
 * - HSTS is sent once, on Ombud's answers and on the proxy's own;
 * - the proxy writes no line that names a client.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../../common/channel-link.ts';
import { encryptPayload } from '../../crypto/index.ts';
import { createTestServer, fetchSolvedPow, json, type TestServer } from '../../server/testing.ts';
import { launchBrowser } from '../support/browser.ts';
import { freePort } from '../support/server.ts';

const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
const NOBODY = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};
const MB = 1_000_000;
/** The service's onion address (OMBUD_EXTRA_ORIGINS); tor's part is tests/deploy/recipes.test.ts. */
const ONION = `http://${'o'.repeat(56)}.onion`;

let temp: string;
let run: string;
let cert: string;
let browser: Browser;

/** `text` with `from` replaced by `to`, throwing if `from` is not there `times` times: the recipe is what runs. */
function swap(text: string, from: string, to: string, times = 1): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`the recipe has "${from}" ${found} times, expected ${times}: update tests/deploy/proxies.test.ts`);
  return text.split(from).join(to);
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, ca: cert, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // A proxy may answer 413 and close while a large body is still being sent.
    req.on('error', reject);
    req.end(options.body);
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`proxy exited with ${child.exitCode}:\n${output()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); done(true); });
      socket.on('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`proxy did not listen on ${port}:\n${output()}`);
}

interface Ombud { t: TestServer; http: Server; port: number; requests: number; stop(): Promise<void> }

/** Ombud as the recipes expect it: public URL = the proxy's https address, one trusted hop. */
async function startOmbud(publicUrl: string): Promise<Ombud> {
  const port = await freePort();
  const t = await createTestServer({
    config: { clientDir: resolve('dist/client'), publicUrl, trustProxy: 1, secureCookies: true, extraOrigins: [ONION] },
    team: { name: 'Brand CSR', channelSlug: 'plant-7' },
  });
  const http = createServer();
  const ombud: Ombud = {
    t, http, port, requests: 0,
    stop: () => new Promise<void>((done) => { http.closeAllConnections(); http.close(() => done()); }).finally(() => t.close()),
  };
  http.on('request', (req, res) => { ombud.requests += 1; t.app(req, res); });
  await new Promise<void>((done) => http.listen(port, '127.0.0.1', done));
  return ombud;
}

interface Proxy { name: string; url: string; onionUrl: string; child: ChildProcess; output(): string; log(): string; stop(): Promise<void> }

function spawnProxy(name: string, command: string, args: string[], env: Record<string, string> = {}) {
  let log = '';
  const child = spawn(command, args, { env: { PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...NOBODY });
  child.stdout!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, output: () => log, stop, name };
}

async function startNginx(ombudPort: number, tlsPort: number): Promise<Proxy> {
  const dir = join(run, 'nginx');
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  chmodSync(dir, 0o777);
  chmodSync(join(dir, 'tmp'), 0o777);
  let site = readFileSync('deploy/nginx/ombud.conf', 'utf8');
  site = swap(site, 'server_name speakup.example.org;', 'server_name 127.0.0.1;', 2);
  const [httpPort, onionPort] = await portsOtherThan([tlsPort, ombudPort], 2);
  site = swap(site, '    listen 80;\n    listen [::]:80;\n', `    listen 127.0.0.1:${httpPort};\n`);
  site = swap(site, '    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n', `    listen 127.0.0.1:${tlsPort} ssl http2;\n`);
  site = swap(site, 'listen 127.0.0.1:8081;', `listen 127.0.0.1:${onionPort};`);
  site = swap(site, '/etc/letsencrypt/live/speakup.example.org/fullchain.pem', join(temp, 'cert.pem'));
  site = swap(site, '/etc/letsencrypt/live/speakup.example.org/privkey.pem', join(temp, 'key.pem'));
  site = swap(site, '/var/log/nginx/ombud-error.log', join(dir, 'ombud-error.log'), 2);
  site = swap(site, 'proxy_pass http://127.0.0.1:8080;', `proxy_pass http://127.0.0.1:${ombudPort};`, 2);
  writeFileSync(join(temp, 'ombud.conf'), site);
  const tmp = join(dir, 'tmp');
  writeFileSync(join(temp, 'nginx.conf'), [
    'daemon off;', 'worker_processes 1;', `pid ${join(dir, 'nginx.pid')};`, `error_log ${join(dir, 'main-error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(tmp, kind)};`),
    `  include ${join(temp, 'ombud.conf')};`,
    '}', '',
  ].join('\n'));
  const proxy = spawnProxy('nginx', 'nginx', ['-e', 'stderr', '-p', dir, '-c', join(temp, 'nginx.conf')]);
  await waitForPort(tlsPort, proxy.child, proxy.output);
  return {
    ...proxy, url: `https://127.0.0.1:${tlsPort}`, onionUrl: `http://127.0.0.1:${onionPort}`,
    log: () => ['ombud-error.log', 'main-error.log'].map((f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '')).join('') + proxy.output(),
  };
}

/** `count` free ports, distinct from each other and from `taken`. */
async function portsOtherThan(taken: readonly number[], count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!taken.includes(port) && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

async function startCaddy(ombudPort: number, tlsPort: number): Promise<Proxy> {
  const dir = join(run, 'caddy');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  let file = readFileSync('deploy/caddy/Caddyfile', 'utf8');
  // Ports none of which is free-but-unbound twice: a second freePort() may hand out one given before and not yet
  // listened on (the TLS port), and Caddy then refuses an http:// site on its https_port.
  const [httpPort, onionPort] = await portsOtherThan([tlsPort, ombudPort], 2);
  file = swap(file, '\n{\n', `\n{\n\tadmin off\n\thttp_port ${httpPort}\n\thttps_port ${tlsPort}\n\tstorage file_system ${join(dir, 'storage')}\n`);
  file = swap(file, '\nspeakup.example.org {\n', `\nhttps://127.0.0.1:${tlsPort} {\n\ttls ${join(temp, 'cert.pem')} ${join(temp, 'key.pem')}\n`);
  file = swap(file, 'http://:8081 {', `http://:${onionPort} {`);
  file = swap(file, 'reverse_proxy 127.0.0.1:8080', `reverse_proxy 127.0.0.1:${ombudPort}`, 2);
  writeFileSync(join(temp, 'Caddyfile'), file);
  const proxy = spawnProxy('caddy', 'caddy', ['run', '--adapter', 'caddyfile', '--config', join(temp, 'Caddyfile')], {
    HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'),
  });
  await waitForPort(tlsPort, proxy.child, proxy.output);
  return { ...proxy, url: `https://127.0.0.1:${tlsPort}`, onionUrl: `http://127.0.0.1:${onionPort}`, log: proxy.output };
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'ombud-proxies-'));
  chmodSync(temp, 0o755);
  run = join(temp, 'run');
  mkdirSync(run);
  chmodSync(run, 0o777);
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', join(temp, 'key.pem'), '-out', join(temp, 'cert.pem'),
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make the test certificate: ${made.stderr}`);
  chmodSync(join(temp, 'key.pem'), 0o644); // a throw-away key, read by the unprivileged proxy
  cert = readFileSync(join(temp, 'cert.pem'), 'utf8');
  browser = await launchBrowser(['--ignore-certificate-errors']);
});

afterAll(async () => {
  await browser?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/**
 * nginx reads the whole body before it passes the request on, so a body over
 * the limit never reaches Ombud. Caddy 2.6 (Debian 12) passes on what it read
 * up to the limit and then answers 413 itself; Ombud gets a cut request and
 * stores nothing.
 */
describe.each([
  ['nginx', startNginx, true],
  ['Caddy', startCaddy, true],
] as const)('Ombud behind %s', (_name, start, refusesBeforeOmbud) => {
  let ombud: Ombud;
  let proxy: Proxy;

  beforeAll(async () => {
    const tlsPort = await freePort();
    ombud = await startOmbud(`https://127.0.0.1:${tlsPort}`);
    proxy = await start(ombud.port, tlsPort);
  });

  afterAll(async () => {
    await proxy?.stop();
    await ombud?.stop();
  });

  it('carries a worker’s report, receipt and status page over TLS in Chromium', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const pins = [ombud.t.repos.teams.find(ombud.t.team.id)!.recoveryFingerprint];
    await page.goto(channelLink(proxy.url, ombud.t.team.channelSlug, pins));
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 60_000 });
    await page.fill('#f-what', 'The fire exit is chained at night');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    const token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    await page.goto(`${proxy.url}/status`);
    await page.fill('#token-input', token);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#case-view')).toContain('The fire exit is chained at night');
    expect(page.url().startsWith('https://')).toBe(true);
    await context.close();
  });

  it('sends HSTS once, on Ombud’s answers and on its own', async () => {
    const page = await send(`${proxy.url}/status`);
    expect(page.status).toBe(200);
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('serves the onion origin on its local listener for tor: the onion Origin accepted, another refused, Onion-Location only on the public address', async () => {
    const onionHost = new URL(ONION).host;
    const publicPage = await send(`${proxy.url}/status`);
    expect(publicPage.headers['onion-location']).toBe(`${ONION}/status`);
    const onionPage = await send(`${proxy.onionUrl}/status`, { headers: { Host: onionHost } });
    expect(onionPage.status).toBe(200);
    expect(onionPage.headers['onion-location']).toBeUndefined();
    const pow = (origin: string) => send(`${proxy.onionUrl}/api/pow`, { method: 'POST', headers: { ...json, Host: onionHost, Origin: origin }, body: '{}' });
    expect((await pow(ONION)).status).toBe(200);
    const refused = await pow(`http://${'x'.repeat(56)}.onion`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'cross_origin' });
  });

  it('counts the address it added, not a forged left-most X-Forwarded-For, in the throttle', async () => {
    const { credentials } = await ombud.t.draftReport(); // never submitted: every try is a wrong token
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      const forged = `203.0.113.${i + 1}`;
      const answer = await send(`${proxy.url}/api/status`, {
        method: 'POST', headers: { ...json, 'X-Forwarded-For': forged }, body: JSON.stringify(credentials),
      });
      statuses.push(answer.status);
    }
    // reporterByClient: 10 free failures, then the one client is blocked —
    // had each forged address been believed, every try would have been a new client.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(11)).toEqual([429, 429, 429]);
  });

  it('passes a 20 MB encrypted attachment and refuses a body declared at 30 MB with 413 before Ombud sees it', async () => {
    const draft = await ombud.t.draftReport();
    const pow = await fetchSolvedPow(ombud.t.app);
    const ticketAnswer = await send(`${proxy.url}/api/uploads/ticket`, { method: 'POST', headers: json, body: JSON.stringify({ pow }) });
    expect(ticketAnswer.status).toBe(200);
    const ticket = (JSON.parse(ticketAnswer.body) as { ticket: string }).ticket;
    const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
    const file = await encryptPayload({ data: new Uint8Array(randomBytes(20 * MB)), recipients });
    const upload = { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': ticket };
    const passed = await send(`${proxy.url}/api/uploads`, { method: 'POST', headers: upload, body: Buffer.from(file) });
    expect(passed.status, passed.body).toBe(201);

    // Sent as a worker's phone sends it: Chromium reads the proxy's early 413 even when the proxy closes the
    // connection before the body is through (Node's client does not: it saw the reset first, and the test failed
    // on the client, not on the proxy).
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${proxy.url}/status`);
    await page.waitForLoadState('networkidle');
    const before = { requests: ombud.requests, staged: ombud.t.repos.uploads.stagedCount() };
    const refused = await page.evaluate(async ({ headers, size }) => {
      const answer = await fetch('/api/uploads', { method: 'POST', headers, body: new Uint8Array(size) });
      return { status: answer.status, body: await answer.text() };
    }, { headers: upload, size: 30 * MB });
    await context.close();
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'body_too_large' });
    expect(ombud.t.repos.uploads.stagedCount()).toBe(before.staged);
    if (refusesBeforeOmbud) expect(ombud.requests).toBe(before.requests);
  });

  it('wrote no line naming a client (no access log; errors such as the 413 not logged with an address)', () => {
    const log = proxy.log();
    expect(log).not.toMatch(/client: 127\.0\.0\.1|remote_ip|client_ip|"remote_addr"/);
    expect(readdirSync(run, { recursive: true }).map(String).filter((f) => /access/.test(f))).toEqual([]);
  });
});
