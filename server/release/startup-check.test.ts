import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import {
  DEFAULT_CSP, ENTRY_POINTS, MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, RELEASE_KEY_PATH, serializeManifest, STATIC_HEADERS,
} from '../../common/release-manifest.ts';
import { generateReleaseKey } from '../../crypto/release-signature.ts';
import { makeClientFixture, signClientFixture } from '../../scripts/release-fixture.ts';
import { PAGES, SETUP_PENDING_PAGES } from '../pages/routes.ts';
import { createTestServer } from '../testing.ts';
import { hashClientFiles, readClientManifest } from './client-files.ts';
import { checkClientRelease, ClientReleaseError } from './startup-check.ts';

let dir: string;
let clientDir: string;
let release: Awaited<ReturnType<typeof generateReleaseKey>>;
let keyFile: string;

beforeAll(async () => {
  release = await generateReleaseKey('Ombud release (test)');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-startup-'));
  clientDir = join(dir, 'client');
  makeClientFixture(clientDir);
  keyFile = join(dir, 'release-key.asc');
  writeFileSync(keyFile, release.publicKey);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function problems(config: { clientDir: string; releaseKeyFile?: string }): Promise<readonly string[]> {
  try {
    await checkClientRelease(config);
    return [];
  } catch (error) {
    if (!(error instanceof ClientReleaseError)) throw error;
    return error.problems;
  }
}

describe('the server checks its client against the manifest before it starts', () => {
  it('accepts the folder as built, unsigned when no release key is configured', async () => {
    const ok = await checkClientRelease({ clientDir });
    expect(ok).toMatchObject({ built: true, signedBy: undefined });
    expect(ok.manifest?.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('refuses a folder where one byte of one asset changed, naming the file', async () => {
    const file = join(clientDir, 'assets', 'app-AbC123.js');
    const bytes = readFileSync(file);
    bytes[0] = bytes[0]! ^ 1;
    writeFileSync(file, bytes);
    const found = await problems({ clientDir });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\/assets\/app-AbC123\.js: SHA-256 .* but the manifest says /);
  });

  it('refuses an added file and a missing one, one line each', async () => {
    writeFileSync(join(clientDir, 'assets', 'extra.js'), 'alert(1)');
    rmSync(join(clientDir, 'poster.html'));
    expect(await problems({ clientDir })).toEqual([
      '/poster.html: missing (listed in the manifest)',
      '/assets/extra.js: not in the manifest',
    ]);
  });

  it('refuses a gzip copy that does not decode to its file, though the manifest lists both (a page replaced, its .gz left behind)', async () => {
    const file = join(clientDir, 'assets', 'app-AbC123.js');
    const relist = () => {
      const { manifest } = readClientManifest(clientDir);
      writeFileSync(join(clientDir, MANIFEST_PATH), serializeManifest({ ...manifest, files: hashClientFiles(clientDir) }));
    };
    writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
    relist();
    expect(await problems({ clientDir })).toEqual([]);
    writeFileSync(file, 'console.log("the new release");\n');
    relist();
    expect(await problems({ clientDir })).toEqual([
      '/assets/app-AbC123.js.gz: does not decode to /assets/app-AbC123.js (browsers that take gzip would get it in that file’s place)',
    ]);
    writeFileSync(`${file}.gz`, 'not gzip');
    rmSync(join(clientDir, 'poster.html'));
    writeFileSync(join(clientDir, 'poster.html.gz'), gzipSync('<!doctype html>'));
    relist();
    expect(await problems({ clientDir })).toEqual([
      '/assets/app-AbC123.js.gz: does not decode to /assets/app-AbC123.js (browsers that take gzip would get it in that file’s place)',
      '/poster.html.gz: a gzip copy of /poster.html, which is not there',
    ]);
  });

  it('refuses a manifest that promises another CSP or header than this server sends', async () => {
    const { manifest } = readClientManifest(clientDir);
    const loosened = { ...manifest, default_csp: DEFAULT_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"), headers: { ...manifest.headers, 'x-frame-options': 'SAMEORIGIN' } };
    writeFileSync(join(clientDir, MANIFEST_PATH), serializeManifest(loosened));
    const found = await problems({ clientDir });
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^default_csp: the manifest says .*unsafe-inline/);
    expect(found[1]).toMatch(/^header x-frame-options: /);
  });

  it('refuses a manifest that is missing or not JSON, naming it', async () => {
    writeFileSync(join(clientDir, MANIFEST_PATH), '{"files": ');
    expect((await problems({ clientDir }))[0]).toMatch(/manifest\.json: the manifest is not JSON/);
    rmSync(join(clientDir, MANIFEST_PATH));
    expect((await problems({ clientDir }))[0]).toMatch(/manifest\.json is missing/);
  });

  it('with a release key: refuses an unsigned manifest and one signed by another key, accepts the release key\'s', async () => {
    expect(await problems({ clientDir, releaseKeyFile: keyFile })).toEqual([expect.stringMatching(/manifest\.json\.asc: missing; a release key is configured/)]);
    const other = await generateReleaseKey('Not the release key');
    await signClientFixture(clientDir, other.secretKey);
    expect(await problems({ clientDir, releaseKeyFile: keyFile })).toEqual([expect.stringMatching(/manifest\.json\.asc: .*not made by the release key/)]);
    await signClientFixture(clientDir, release.secretKey);
    await expect(checkClientRelease({ clientDir, releaseKeyFile: keyFile })).resolves.toMatchObject({ signedBy: release.fingerprint });
    appendFileSync(join(clientDir, MANIFEST_PATH), ' ');
    expect(await problems({ clientDir, releaseKeyFile: keyFile })).toEqual([expect.stringMatching(/does not match the manifest's bytes/)]);
  });

  it('starts without checking when no client is built at all (pages then answer 503)', async () => {
    await expect(checkClientRelease({ clientDir: join(dir, 'nothing') })).resolves.toEqual({ built: false });
  });

  it('server/main.ts exits 1 before listening, naming the changed file', async () => {
    appendFileSync(join(clientDir, 'assets', 'style-XyZ789.css'), 'body{display:none}');
    const env = { PATH: process.env.PATH, OMBUD_DATA_DIR: join(dir, 'data'), OMBUD_PORT: '0', OMBUD_CLIENT_DIR: clientDir };
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/Ombud did not start: the client in .* does not match its manifest:\n {2}\/assets\/style-XyZ789\.css: SHA-256/);
    expect(out).not.toMatch(/listening/);
  });
});

describe('the entry points of the manifest', () => {
  it('are the server\'s page routes, each answered first by the file the server sends', () => {
    const fromRoutes = Object.entries(PAGES).map(([route, file]) => [route.replace(':slug', '{slug}'), `/${file}`]).sort();
    const fromManifest = Object.entries(ENTRY_POINTS).map(([address, files]) => [address, files[0]]).sort();
    expect(fromManifest).toEqual(fromRoutes);
    for (const page of SETUP_PENDING_PAGES) expect(ENTRY_POINTS[page]).toContain('/pending.html');
  });
});

describe('/.well-known/ombud/', () => {
  it('serves the manifest and its signature as the bytes on disk, and the release key, with the page headers', async () => {
    await signClientFixture(clientDir, release.secretKey);
    const t = await createTestServer({ config: { clientDir, releaseKeyFile: keyFile }, team: false });
    const manifest = await request(t.app).get(MANIFEST_PATH).expect(200);
    expect(manifest.headers['content-type']).toMatch(/^application\/json/);
    expect(manifest.text).toBe(readFileSync(join(clientDir, MANIFEST_PATH), 'utf8'));
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(manifest.headers['last-modified']).toBeUndefined();
    const signature = await request(t.app).get(MANIFEST_SIGNATURE_PATH).expect(200);
    expect(signature.text).toBe(readFileSync(join(clientDir, MANIFEST_SIGNATURE_PATH), 'utf8'));
    const key = await request(t.app).get(RELEASE_KEY_PATH).expect(200);
    expect(key.text).toBe(release.publicKey);
    for (const res of [manifest, signature, key, await request(t.app).get('/status').expect(200), await request(t.app).get('/assets/app-AbC123.js').expect(200)]) {
      expect(res.headers['content-security-policy']).toBe(DEFAULT_CSP);
      for (const [name, value] of Object.entries(STATIC_HEADERS)) expect(res.headers[name], name).toBe(value);
    }
    t.close();
  });

  it('answers 404 for the signature and key when there are none, and never lists the folder', async () => {
    const t = await createTestServer({ config: { clientDir }, team: false });
    await request(t.app).get(MANIFEST_SIGNATURE_PATH).expect(404);
    await request(t.app).get(RELEASE_KEY_PATH).expect(404);
    await request(t.app).get('/.well-known/ombud/').expect(404);
    await request(t.app).get('/.well-known/ombud/../../index.html').expect(404);
    t.close();
  });
});
