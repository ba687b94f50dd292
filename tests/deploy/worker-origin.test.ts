/**
 * The worker pages from an independent origin (OMBUD_WORKER_ORIGIN), run for
 * real: the worker build (`scripts/build.mjs --worker-origin-build DIR
 * --api-origin URL`) served by nginx with deploy/nginx/worker-origin.conf
 * itself (only host names, ports and paths replaced, each replacement
 * checked) over TLS on https://localhost:<port>, and the real Ombud server
 * process on http://127.0.0.1:<other port> — another site. In Chromium:
 *
 * - first setup on the API host shows the pinned link on the worker origin;
 * - the whole journey: a worker reports there, the investigator replies in
 *   the workspace on the API host, the worker reads it on the worker origin
 *   and answers, the investigator reads the answer;
 * - refusals: the same pages served from an origin not allow-listed cannot
 *   reach the API (the channel does not load, no report is sent), and the
 *   workspace API refuses the worker origin itself;
 * - neither nginx nor Caddy (deploy/caddy/Caddyfile.worker-origin) leaves out
 *   a header of worker-headers.json, and both answer 404 beyond the pages.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { setUpFirstTeam, signIn } from '../support/first-team.ts';
import { freePort, removeDataDir, startServer, type RunningServer } from '../support/server.ts';

const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
const NOBODY = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};
const ACCOUNT = { username: 'csr.lead', password: 'Correct-Horse-origin-Battery' };
const WHAT = 'The fire exit of hall 2 is chained at night';
const REPLY = 'We will visit hall 2 on Thursday';
const ANSWER = 'Thursday is good, the night shift starts at 22:00';

let temp: string;
let cert: string;
let browser: Browser;
let server: RunningServer;
let workerOrigin: string;
/** The same worker build served from an origin the API does not allow. */
let strayOrigin: string;
let workerDir: string;
const proxies: Array<{ child: ChildProcess; stop(): Promise<void> }> = [];
let reportLink = '';
let token = '';

function swap(text: string, from: string, to: string, times = 1): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`the recipe has "${from}" ${found} times, expected ${times}: update tests/deploy/worker-origin.test.ts`);
  return text.split(from).join(to);
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: cert, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`static host exited with ${child.exitCode}:\n${output()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); done(true); });
      socket.on('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`static host did not listen on ${port}:\n${output()}`);
}

function spawnHost(command: string, args: string[], env: Record<string, string> = {}) {
  let log = '';
  const child = spawn(command, args, { env: { PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...NOBODY });
  child.stdout!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const host = {
    child,
    output: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
  proxies.push(host);
  return host;
}

/** nginx with deploy/nginx/worker-origin.conf on https://localhost:<tlsPort>, the pages calling `apiOrigin`. */
async function startNginx(name: string, tlsPort: number, apiOrigin: string): Promise<void> {
  const dir = join(temp, name);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  chmodSync(dir, 0o777);
  chmodSync(join(dir, 'tmp'), 0o777);
  let site = readFileSync('deploy/nginx/worker-origin.conf', 'utf8');
  site = swap(site, 'server_name report.ngo.example;', 'server_name localhost;', 2);
  site = swap(site, '    listen 80;\n    listen [::]:80;\n', `    listen 127.0.0.1:${await freePort()};\n`);
  site = swap(site, '    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n', `    listen 127.0.0.1:${tlsPort} ssl http2;\n`);
  site = swap(site, '/etc/letsencrypt/live/report.ngo.example/fullchain.pem', join(temp, 'cert.pem'));
  site = swap(site, '/etc/letsencrypt/live/report.ngo.example/privkey.pem', join(temp, 'key.pem'));
  site = swap(site, '/var/log/nginx/ombud-worker-error.log', join(dir, 'error.log'));
  site = swap(site, 'root /srv/ombud-worker;', `root ${workerDir};`);
  site = swap(site, "connect-src 'self' https://speakup.example.org;", `connect-src 'self' ${apiOrigin};`);
  writeFileSync(join(dir, 'site.conf'), site);
  const tmp = join(dir, 'tmp');
  writeFileSync(join(dir, 'nginx.conf'), [
    'daemon off;', 'worker_processes 1;', `pid ${join(dir, 'nginx.pid')};`, `error_log ${join(dir, 'main-error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {', '  include /etc/nginx/mime.types;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(tmp, kind)};`),
    `  include ${join(dir, 'site.conf')};`, '}', '',
  ].join('\n'));
  const host = spawnHost('nginx', ['-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf')]);
  await waitForPort(tlsPort, host.child, host.output);
}

async function startCaddy(tlsPort: number, apiOrigin: string): Promise<void> {
  const dir = join(temp, 'caddy');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  let file = readFileSync('deploy/caddy/Caddyfile.worker-origin', 'utf8');
  file = swap(file, '\n{\n', `\n{\n\tadmin off\n\thttp_port ${await freePort()}\n\thttps_port ${tlsPort}\n\tstorage file_system ${join(dir, 'storage')}\n`);
  file = swap(file, '\nreport.ngo.example {\n', `\nhttps://localhost:${tlsPort} {\n\ttls ${join(temp, 'cert.pem')} ${join(temp, 'key.pem')}\n`);
  file = swap(file, 'root * /srv/ombud-worker', `root * ${workerDir}`);
  file = swap(file, "connect-src 'self' https://speakup.example.org;", `connect-src 'self' ${apiOrigin};`);
  writeFileSync(join(dir, 'Caddyfile'), file);
  const host = spawnHost('caddy', ['run', '--adapter', 'caddyfile', '--config', join(dir, 'Caddyfile')], {
    HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'),
  });
  await waitForPort(tlsPort, host.child, host.output);
}

async function newPage(locale = 'en-GB'): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
  return context.newPage();
}

async function openOnlyCase(page: Page): Promise<void> {
  await page.waitForSelector('#case-table tr[data-case-id]');
  await page.click('#case-table tr[data-case-id] a');
  await page.waitForSelector('#case-view:not([hidden]) #case-report dd');
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'ombud-worker-origin-'));
  chmodSync(temp, 0o755);
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', join(temp, 'key.pem'), '-out', join(temp, 'cert.pem'),
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make the test certificate: ${made.stderr}`);
  chmodSync(join(temp, 'key.pem'), 0o644); // a throw-away key, read by the unprivileged static host
  cert = readFileSync(join(temp, 'cert.pem'), 'utf8');

  const workerPort = await freePort();
  const strayPort = await freePort();
  workerOrigin = `https://localhost:${workerPort}`;
  strayOrigin = `https://localhost:${strayPort}`;
  server = await startServer({ OMBUD_POW_DIFFICULTY: '8', OMBUD_WORKER_ORIGIN: workerOrigin });

  workerDir = join(temp, 'worker-pages');
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--worker-origin-build', workerDir, '--api-origin', server.url], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the worker build failed: ${built.stderr}${built.stdout}`);
  chmodSync(workerDir, 0o755);
  await startNginx('nginx', workerPort, server.url);
  await startNginx('stray', strayPort, server.url);
  browser = await launchBrowser(['--ignore-certificate-errors']);
});

afterAll(async () => {
  await browser?.close();
  for (const host of proxies) await host.stop();
  await server?.stop();
  if (server) removeDataDir(server);
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('the worker pages on a second origin', () => {
  it('writes the API origin into the static pages and the headers list beside them', () => {
    for (const page of ['report.html', 'status.html', 'info.html']) {
      expect(readFileSync(join(workerDir, page), 'utf8')).toContain(`<meta name="ombud-api-origin" content="${server.url}" />`);
    }
    const listed = JSON.parse(readFileSync(join(workerDir, '.well-known/ombud/worker-headers.json'), 'utf8')) as { apiOrigin: string; headers: Record<string, string> };
    expect(listed.apiOrigin).toBe(server.url);
    expect(listed.headers['content-security-policy']).toContain(`connect-src 'self' ${server.url};`);
    const manifest = JSON.parse(readFileSync(join(workerDir, '.well-known/ombud/manifest.json'), 'utf8')) as { default_csp: string; files: Record<string, string> };
    expect(manifest.default_csp).toBe(listed.headers['content-security-policy']);
    expect(Object.keys(manifest.files)).toContain('/report.html');
    expect(readFileSync(join(workerDir, 'report.html'), 'utf8')).toMatch(/<script [^>]*integrity="sha384-/);
    for (const page of ['team.html', 'setup.html', 'index.html', 'join.html']) {
      expect(() => readFileSync(join(workerDir, page)), page).toThrow();
    }
  });

  it('shows the pinned link on the worker origin at the end of first setup', async () => {
    const page = await newPage();
    reportLink = await setUpFirstTeam(page, server, ACCOUNT);
    expect(reportLink).toMatch(new RegExp(`^${workerOrigin}/r/factory-one#pins=[0-9a-f]{40}$`));
    await page.context().close();
  });

  it('carries the whole journey: report there, reply here, follow-up there, answer read here', async () => {
    const worker = await newPage('es-ES');
    const posts: string[] = [];
    worker.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    await worker.goto(reportLink);
    await worker.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 60_000 });
    await worker.click('#cat-safety');
    await worker.fill('#f-what', WHAT);
    await worker.click('#send');
    await worker.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    token = (await worker.textContent('#receipt-token'))!.replace(/\s+/g, '');
    expect(token).toMatch(/^\d{28}$/);
    expect(worker.url().startsWith(`${workerOrigin}/`)).toBe(true);
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((url) => url.startsWith(`${server.url}/api/`))).toBe(true);
    await worker.context().close();

    const team = await newPage();
    await team.setViewportSize({ width: 1200, height: 900 });
    await signIn(team, server.url, ACCOUNT);
    await openOnlyCase(team);
    expect(await team.textContent('#case-report')).toContain(WHAT);
    await team.fill('#case-reply', REPLY);
    await team.click('#case-reply-send');
    await team.waitForSelector(`#case-thread li.message.from-team:has-text("${REPLY}")`);
    await team.context().close();

    const status = await newPage('es-ES');
    await status.goto(`${workerOrigin}/status`);
    await status.fill('#token-input', token);
    await status.click('#token-open');
    await status.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    await status.waitForSelector(`#thread li.message.from-team:has-text("${REPLY}")`);
    await status.fill('#reply-text', ANSWER);
    await status.click('#reply-send');
    await status.waitForSelector(`#thread li.message.from-reporter:has-text("${ANSWER}")`);
    // No service worker on the worker's phone, on either origin.
    expect(await status.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    await status.context().close();

    const reader = await newPage();
    await reader.setViewportSize({ width: 1200, height: 900 });
    await signIn(reader, server.url, ACCOUNT);
    await openOnlyCase(reader);
    await reader.waitForSelector(`#case-thread li.message.from-reporter:has-text("${ANSWER}")`);
    await reader.context().close();
  });

  it('refuses the same pages served from an origin not allow-listed: the channel does not load, no report is sent', async () => {
    const page = await newPage();
    const answered: Array<{ url: string; status: number }> = [];
    page.on('response', (r) => { if (r.url().startsWith(`${server.url}/api/`)) answered.push({ url: r.url(), status: r.status() }); });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(reportLink.replace(workerOrigin, strayOrigin));
    // The channel cannot be read from there; the form still shows (as with no network) and sending fails.
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 60_000 });
    await page.fill('#f-what', WHAT);
    await page.click('#send');
    await page.waitForSelector('#form-error:not([hidden])', { timeout: 60_000 });
    expect(await page.isHidden('#receipt')).toBe(true);
    expect(failed.some((url) => url.startsWith(`${server.url}/api/channels/`))).toBe(true);
    // A POST from there, tried by hand: the preflight is refused, the browser never sends it.
    const result = await page.evaluate(async (api) => {
      try {
        await fetch(`${api}/api/pow`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        return 'sent';
      } catch {
        return 'refused';
      }
    }, server.url);
    expect(result).toBe('refused');
    expect(answered.filter((a) => a.status < 400)).toEqual([]);
    await page.context().close();
  });

  it('refuses the workspace API to the worker origin itself', async () => {
    const page = await newPage();
    await page.goto(`${workerOrigin}/status`);
    const results = await page.evaluate(async (api) => {
      const attempt = async (path: string, init: RequestInit) => {
        try {
          const res = await fetch(`${api}${path}`, init);
          return `read ${res.status}`;
        } catch {
          return 'refused';
        }
      };
      const post = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'csr.lead' }) };
      return {
        params: await attempt('/api/auth/params', post),
        cases: await attempt('/api/cases', {}),
        channels: await attempt('/api/admin/channels', { credentials: 'include' }),
        pow: await attempt('/api/pow', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
      };
    }, server.url);
    expect(results).toEqual({ params: 'refused', cases: 'refused', channels: 'refused', pow: 'read 200' });
    await page.context().close();
  });
});

describe.each([['nginx'], ['Caddy']] as const)('the static host recipe for %s', (name) => {
  let base: string;
  beforeAll(async () => {
    if (name === 'nginx') {
      base = workerOrigin;
    } else {
      const port = await freePort();
      await startCaddy(port, server.url);
      base = `https://localhost:${port}`;
    }
  });

  it('sends every header of worker-headers.json on the pages and the assets, and HSTS', async () => {
    const listed = JSON.parse(readFileSync(join(workerDir, '.well-known/ombud/worker-headers.json'), 'utf8')) as {
      headers: Record<string, string>; pageHeaders: Record<string, string>; assetHeaders: Record<string, string>;
    };
    const html = readFileSync(join(workerDir, 'report.html'), 'utf8');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    for (const [path, extra] of [['/r/factory-one', listed.pageHeaders], ['/status', listed.pageHeaders], ['/', listed.pageHeaders], [asset, listed.assetHeaders]] as const) {
      const res = await get(`${base}${path}`);
      expect(res.status, path).toBe(200);
      for (const [header, value] of Object.entries({ ...listed.headers, ...extra })) {
        expect(res.headers[header.toLowerCase()], `${header} on ${path}`).toBe(value);
      }
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
    expect((await get(`${base}/r/factory-one`)).body).toContain('ombud-api-origin');
    const manifest = await get(`${base}/.well-known/ombud/manifest.json`);
    expect(manifest.status).toBe(200);
    expect(manifest.body).toBe(readFileSync(join(workerDir, '.well-known/ombud/manifest.json'), 'utf8'));
  });

  it('answers 404 beyond the worker pages (no workspace, no directory listing, no server files)', async () => {
    for (const path of ['/team', '/setup', '/assets/', '/api/health', '/.well-known/', '/r/a/b/c']) {
      expect((await get(`${base}${path}`)).status, path).toBe(404);
    }
  });
});
