/**
 * For tests: a small built client (every page of the entry points, a script
 * and a stylesheet they load, finished like a real build: integrity, modes,
 * manifest), and signing it with a release key made at test time. The
 * secret key never exists outside the test's temporary folder.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRY_POINTS, MANIFEST_PATH, MANIFEST_SIGNATURE_PATH } from '../common/release-manifest.ts';
import { signManifest } from '../crypto/release-signature.ts';
import { finishClientBuild } from './vite-release.ts';

export const FIXTURE_COMMIT = '0123456789abcdef0123456789abcdef01234567';

export function makeClientFixture(dir: string): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'assets', 'app-AbC123.js'), 'document.body.dataset.ready = "yes";\n');
  writeFileSync(join(dir, 'assets', 'style-XyZ789.css'), 'body { color: #222; }\n');
  writeFileSync(join(dir, 'assets', 'icon-Q1w2e3.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  const pages = new Set(Object.values(ENTRY_POINTS).flat());
  for (const page of pages) {
    writeFileSync(join(dir, page.slice(1)), [
      '<!doctype html>',
      `<html lang="en"><head><title>${page}</title>`,
      '<link rel="icon" href="/assets/icon-Q1w2e3.svg">',
      '<script type="module" crossorigin src="/assets/app-AbC123.js"></script>',
      '<link rel="stylesheet" crossorigin href="/assets/style-XyZ789.css">',
      '</head><body></body></html>',
      '',
    ].join('\n'));
  }
  finishClientBuild(dir, { version: '0.0.0-test', commit: FIXTURE_COMMIT, epoch: 946_684_800 });
}

/** Writes `manifest.json.asc` beside the manifest, signed by `secretKey`. */
export async function signClientFixture(dir: string, secretKey: string): Promise<void> {
  const bytes = readFileSync(join(dir, MANIFEST_PATH));
  writeFileSync(join(dir, MANIFEST_SIGNATURE_PATH), await signManifest(bytes, secretKey));
}
