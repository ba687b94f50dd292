import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH } from '../../common/release-manifest.ts';
import { generateReleaseKey, verifyManifestSignature } from '../../crypto/release-signature.ts';
import { makeClientFixture } from '../../scripts/release-fixture.ts';
import { checkClientRelease } from '../release/startup-check.ts';
import { runOmbud } from './ombud.ts';

let dir: string;
let client: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-sign-'));
  client = join(dir, 'client');
  makeClientFixture(client);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function ombud(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runOmbud(args, { dataDir: dir, publicUrl: 'http://127.0.0.1:8080', now: () => 0 }, { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
  return { code, out, err };
}

describe('ombud sign-manifest', () => {
  it('signs the manifest with the release key so that the server with its public key starts', async () => {
    const release = await generateReleaseKey('Ombud release (test)');
    writeFileSync(join(dir, 'secret.asc'), release.secretKey, { mode: 0o600 });
    writeFileSync(join(dir, 'public.asc'), release.publicKey);
    const { code, out } = await ombud(['sign-manifest', '--key', join(dir, 'secret.asc'), '--public-key', join(dir, 'public.asc'), '--client-dir', client]);
    expect(code).toBe(0);
    expect(out).toContain('Signed ');
    await expect(checkClientRelease({ clientDir: client, releaseKeyFile: join(dir, 'public.asc') })).resolves.toMatchObject({ signedBy: release.fingerprint });
  });

  it('refuses to sign a folder that differs from its manifest, naming the file, and writes nothing', async () => {
    const release = await generateReleaseKey('Ombud release (test)');
    writeFileSync(join(dir, 'secret.asc'), release.secretKey, { mode: 0o600 });
    appendFileSync(join(client, 'assets', 'app-AbC123.js'), 'fetch("https://evil.example")');
    const { code, err } = await ombud(['sign-manifest', '--key', join(dir, 'secret.asc'), '--client-dir', client]);
    expect(code).toBe(1);
    expect(err).toMatch(/^\/assets\/app-AbC123\.js: SHA-256 /m);
    expect(existsSync(join(client, MANIFEST_SIGNATURE_PATH))).toBe(false);
  });

  it('refuses a key that is not the configured public key\'s, and wrong usage', async () => {
    const release = await generateReleaseKey('Ombud release (test)');
    const other = await generateReleaseKey('Someone else');
    writeFileSync(join(dir, 'secret.asc'), other.secretKey, { mode: 0o600 });
    writeFileSync(join(dir, 'public.asc'), release.publicKey);
    const wrong = await ombud(['sign-manifest', '--key', join(dir, 'secret.asc'), '--public-key', join(dir, 'public.asc'), '--client-dir', client]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/not made by the release key/);
    expect(existsSync(join(client, MANIFEST_SIGNATURE_PATH))).toBe(false);
    expect((await ombud(['sign-manifest', '--client-dir', client])).code).toBe(2);
  });

  it('accepts a signature made by GnuPG with a key kept there', async () => {
    const home = join(dir, 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    const gpg = (...args: string[]) => execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    gpg('--quick-gen-key', 'Ombud release (gpg test) <release@example.org>', 'ed25519', 'sign', 'never');
    writeFileSync(join(dir, 'public.asc'), gpg('--armor', '--export'));
    gpg('--armor', '--detach-sign', '--output', join(client, MANIFEST_SIGNATURE_PATH), join(client, MANIFEST_PATH));
    const bytes = readFileSync(join(client, MANIFEST_PATH));
    const { fingerprint } = await verifyManifestSignature(bytes, readFileSync(join(client, MANIFEST_SIGNATURE_PATH), 'utf8'), readFileSync(join(dir, 'public.asc'), 'utf8'));
    expect(gpg('--with-colons', '--list-keys').toString()).toContain(fingerprint.toUpperCase());
    await expect(checkClientRelease({ clientDir: client, releaseKeyFile: join(dir, 'public.asc') })).resolves.toMatchObject({ signedBy: fingerprint });
  });
});
