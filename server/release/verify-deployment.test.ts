/**
 * `ombud verify-deployment` against a real build served over HTTP by the real
 * app, then by a server that lies in one way at a time. The local build is
 * the same commit built separately; the release key is made here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, parseManifest, serializeManifest } from '../../common/release-manifest.ts';
import { generateReleaseKey } from '../../crypto/release-signature.ts';
import { signClientFixture } from '../../scripts/release-fixture.ts';
import { finishClientBuild } from '../../scripts/vite-release.ts';
import { runVerifyDeployment } from '../cli/verify-deployment.ts';
import { createTestServer, type TestServer } from '../testing.ts';

let dir: string;
let built: string;
let keyFile: string;
let release: Awaited<ReturnType<typeof generateReleaseKey>>;
let serving: { http: Server; t: TestServer } | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-verify-'));
  execFileSync(process.execPath, ['scripts/build.mjs', '--client-only', '--out', join(dir, 'build')], { stdio: 'pipe' });
  built = join(dir, 'build', 'client');
  release = await generateReleaseKey('Ombud release (test)');
  keyFile = join(dir, 'release-key.asc');
  writeFileSync(keyFile, release.publicKey);
  await signClientFixture(built, release.secretKey);
}, 300_000);
afterEach(async () => {
  if (serving) {
    serving.http.closeAllConnections();
    await new Promise((resolve) => serving!.http.close(resolve));
    serving.t.close();
    serving = undefined;
  }
});
// The builds under `dir` hold thousands of prompt clips: removing them took over the default 10 s on a loaded machine.
afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

let deployments = 0;
/** A copy of the build, changed by `change`, served by the app (optionally behind a header rewrite); its URL. */
async function deploy(change: (client: string) => void | Promise<void> = () => {}, rewrite?: (name: string, value: unknown) => unknown): Promise<string> {
  const client = join(dir, `deployed-${(deployments += 1)}`, 'client');
  cpSync(built, client, { recursive: true });
  await change(client);
  const t = await createTestServer({ config: { clientDir: client, releaseKeyFile: keyFile } });
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (rewrite) {
      const set = res.setHeader.bind(res);
      res.setHeader = (name: string, value: number | string | readonly string[]) => set(name, rewrite(name.toLowerCase(), value) as string);
    }
    t.app(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  serving = { http, t };
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function verify(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runVerifyDeployment(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Re-finishes a changed deployment folder (new manifest) and signs it with the release key: a release-key holder's change. */
async function remanifest(client: string): Promise<void> {
  const old = parseManifest(readFileSync(join(client, MANIFEST_PATH), 'utf8'));
  finishClientBuild(client, { version: old.version, commit: old.commit, epoch: 946_684_800 });
  await signClientFixture(client, release.secretKey);
}

const someAsset = () => readdirSync(join(built, 'assets')).filter((n) => n.endsWith('.js')).sort()[0]!;

describe('ombud verify-deployment', () => {
  it('passes on a fresh deployment, against its manifest, the trusted release key and a local build', async () => {
    const url = await deploy();
    const { code, out, err } = await verify([url, '--build', built, '--release-key', keyFile]);
    expect(out).toEqual([]);
    expect(code).toBe(0);
    // The commit, or "unknown" for a build outside a git checkout (the Node-line runs test a copy of the tree).
    expect(err.at(-1)).toMatch(/^OK: http:\/\/127\.0\.0\.1:\d+ serves 0\.\d+\.\d+ \(([0-9a-f]{40}(-dirty)?|unknown)\); \d+ answers match the signed manifest and the local build$/);
    expect(err.join('\n')).toContain(`signed by release key ${release.fingerprint}`);
  });

  it('fails naming the file after one byte of one served asset changed', async () => {
    const asset = someAsset();
    const url = await deploy((client) => {
      const file = join(client, 'assets', asset);
      const bytes = readFileSync(file);
      bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 1;
      writeFileSync(file, bytes);
    });
    const { code, out } = await verify([url, '--build', built, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out).toEqual([expect.stringMatching(new RegExp(`^/assets/${asset.replace(/[.-]/g, '\\$&')}: SHA-256 \\S+, the manifest says \\S+`))]);
  });

  it('fails on every answer after the CSP is loosened', async () => {
    const url = await deploy(undefined, (name, value) => (name === 'content-security-policy' ? String(value).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") : value));
    const { code, out } = await verify([url, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out.length).toBeGreaterThan(20);
    for (const line of out) expect(line).toMatch(/^\/\S*: Content-Security-Policy is ".*'unsafe-inline'.*", the manifest says /);
    expect(out.some((l) => l.startsWith('/r/verify:'))).toBe(true);
    expect(out.some((l) => l.startsWith(`/assets/${someAsset()}:`))).toBe(true);
  });

  it('fails naming the page after a page is added, even with the manifest re-made and signed', async () => {
    const url = await deploy(async (client) => {
      writeFileSync(join(client, 'extra.html'), '<!doctype html><title>extra</title>');
      await remanifest(client);
    });
    // Signed by the release key, so the manifest alone only says that the server does not answer it by its name.
    const alone = await verify([url, '--release-key', keyFile]);
    expect(alone.out).toEqual(['/extra.html: HTTP 404 (the manifest lists /extra.html)']);
    expect(alone.code).toBe(1);
    const { code, out } = await verify([url, '--build', built, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out).toEqual([
      '/extra.html: in the deployment\'s manifest, not in the local build',
      '/extra.html: HTTP 404 (the manifest lists /extra.html)',
    ]);
  });

  it('passes with --commit: a git archive of the commit, built here, equals a build from a clean checkout of it', async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const checkout = join(dir, 'checkout');
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '--quiet', '--no-checkout', top, checkout], { stdio: 'pipe' });
    execFileSync('git', ['-C', checkout, 'checkout', '--quiet', head], { stdio: 'pipe' });
    symlinkSync(realpathSync('node_modules'), join(checkout, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build.mjs', '--client-only', '--out', join(checkout, 'dist')], { cwd: checkout, stdio: 'pipe', env: { ...process.env, TZ: 'America/St_Johns' } });
    const client = join(checkout, 'dist', 'client');
    expect(parseManifest(readFileSync(join(client, MANIFEST_PATH), 'utf8')).commit).toBe(head); // git said, not -dirty
    await signClientFixture(client, release.secretKey);
    const t = await createTestServer({ config: { clientDir: client, releaseKeyFile: keyFile } });
    const http = createServer(t.app);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    serving = { http, t };
    const out: string[] = [];
    const code = await runVerifyDeployment([`http://127.0.0.1:${(http.address() as AddressInfo).port}`, '--commit', head, '--release-key', keyFile], { out: (l) => out.push(l), err: () => {} });
    expect(out).toEqual([]);
    expect(code).toBe(0);
  }, 300_000);

  it('fails on a bad signature, one line', async () => {
    const other = await generateReleaseKey('Not the release key');
    const url = await deploy((client) => signClientFixture(client, other.secretKey));
    const { code, out } = await verify([url, '--build', built, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out).toEqual([`${MANIFEST_SIGNATURE_PATH}: the manifest signature is not valid: it was not made by the release key`]);
  });

  it('fails when the deployment serves another release key, even if its signature fits that key', async () => {
    const other = await generateReleaseKey('A key the operator made');
    const url = await deploy(async (client) => {
      await signClientFixture(client, other.secretKey);
    });
    serving!.t.close(); // serve it with the operator's key instead of the release key
    const otherKeyFile = join(dir, 'other-key.asc');
    writeFileSync(otherKeyFile, other.publicKey);
    const t = await createTestServer({ config: { clientDir: join(dir, `deployed-${deployments}`, 'client'), releaseKeyFile: otherKeyFile } });
    serving!.http.removeAllListeners('request');
    serving!.http.on('request', t.app);
    serving!.t = t;
    const trusting = await verify([url]);
    expect(trusting.code).toBe(0); // the deployment's own word: consistent with itself
    expect(trusting.err.join('\n')).toContain('the deployment itself serves');
    const { code, out } = await verify([url, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out).toEqual([
      `${MANIFEST_SIGNATURE_PATH}: the manifest signature is not valid: it was not made by the release key`,
    ]);
  });

  it('fails on a missing asset and on an extra one, one line each', async () => {
    const [first, second] = readdirSync(join(built, 'assets')).filter((n) => n.endsWith('.svg')).sort();
    const url = await deploy(async (client) => {
      rmSync(join(client, 'assets', first!));
      writeFileSync(join(client, 'assets', 'extra-0000.js'), 'fetch("https://evil.example")');
      // The operator's manifest lists the extra file (and is signed); the deleted one is still listed.
      const manifest = parseManifest(readFileSync(join(client, MANIFEST_PATH), 'utf8'));
      writeFileSync(join(client, MANIFEST_PATH), serializeManifest({ ...manifest, files: { ...manifest.files, '/assets/extra-0000.js': 'uKq4tN1rYb3tdgDJHRq7-gcXq8y9vBhXV0M6B7VfE2k' } }));
      appendFileSync(join(client, 'assets', second!), ''); // untouched
      await signClientFixture(client, release.secretKey);
    });
    const { code, out } = await verify([url, '--build', built, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out).toContain('/assets/extra-0000.js: in the deployment\'s manifest, not in the local build');
    expect(out).toContain(`/assets/${first}: HTTP 404 (the manifest lists /assets/${first})`);
    expect(out.filter((l) => l.startsWith('/assets/extra-0000.js:'))).toHaveLength(2); // also: its bytes are not that hash
  });

  it('fails on a wrong hash in a signed manifest, naming the file', async () => {
    const asset = someAsset();
    const url = await deploy(async (client) => {
      const manifest = parseManifest(readFileSync(join(client, MANIFEST_PATH), 'utf8'));
      writeFileSync(join(client, MANIFEST_PATH), serializeManifest({ ...manifest, files: { ...manifest.files, [`/assets/${asset}`]: 'A'.repeat(43) } }));
      await signClientFixture(client, release.secretKey);
    });
    const { code, out } = await verify([url, '--build', built, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out).toEqual([
      `/assets/${asset}: the deployment's manifest says SHA-256 ${'A'.repeat(43)}, the local build has ${parseManifest(readFileSync(join(built, MANIFEST_PATH), 'utf8')).files[`/assets/${asset}`]}`,
      expect.stringMatching(new RegExp(`^/assets/${asset.replace(/[.-]/g, '\\$&')}: SHA-256 \\S+, the manifest says A{43}`)),
    ]);
  });

  it('fails with one line when the deployment is unreachable', async () => {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    await new Promise((resolve) => http.close(resolve));
    const { code, out } = await verify([`http://127.0.0.1:${port}`, '--release-key', keyFile]);
    expect(code).toBe(1);
    expect(out).toEqual([`http://127.0.0.1:${port}: unreachable (ECONNREFUSED)`]);
  });

  it('fails with one line when the deployment has no manifest, or an unsigned one', async () => {
    const url = await deploy((client) => rmSync(join(client, MANIFEST_SIGNATURE_PATH)));
    const unsigned = await verify([url, '--release-key', keyFile]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.out).toEqual([`${MANIFEST_SIGNATURE_PATH}: HTTP 404, the manifest is not signed`]);
    rmSync(join(dir, `deployed-${deployments}`, 'client', MANIFEST_PATH));
    const none = await verify([url, '--release-key', keyFile]);
    expect(none.out).toEqual([`${MANIFEST_PATH}: HTTP 404, no manifest`]);
    expect(none.code).toBe(1);
  });
});
