/**
 * The server secret: 32 random bytes in `<dataDir>/server-secret` (mode
 * 0600), created on first start. It keys the hashes of case credentials and
 * signs proof-of-work challenges. It lives outside the database so that a
 * database backup alone cannot be used to test guessed tokens; back it up
 * separately (losing it makes every case token unusable).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SERVER_SECRET_BYTES } from './security/secrets.ts';

export const SECRET_FILE = 'server-secret';

export function loadOrCreateServerSecret(dataDir: string): Uint8Array {
  const path = join(dataDir, SECRET_FILE);
  if (!existsSync(path)) {
    // 'wx': fail rather than overwrite if another process created it meanwhile.
    writeFileSync(path, randomBytes(SERVER_SECRET_BYTES), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  const secret = readFileSync(path);
  if (secret.byteLength !== SERVER_SECRET_BYTES) {
    throw new Error(`${path} must hold exactly ${SERVER_SECRET_BYTES} bytes; refusing to start`);
  }
  return new Uint8Array(secret);
}
