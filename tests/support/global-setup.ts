/**
 * Before the journeys: the client is built once (the server serves dist/),
 * and Chromium and GnuPG must be there (scripts/ensure-system-deps.sh installs
 * them as part of `npm test`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function setup(): void {
  for (const binary of ['/usr/bin/chromium', '/usr/bin/gpg']) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run bash scripts/ensure-system-deps.sh`);
  }
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
