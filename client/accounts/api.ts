/**
 * Investigator requests: the session's CSRF token on every non-GET request,
 * and a 401 (session over on the server) locks the keyring.
 */
import { ApiError, getJson, postBytes, postJson, putBytes, putJson } from '../lib/api.ts';
import { lock, session } from './keyring.ts';

async function guarded<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) lock('expired');
    throw error;
  }
}

export function teamGet<T>(path: string): Promise<T> {
  return guarded(getJson<T>(path));
}

export function teamPost<T>(path: string, body: unknown): Promise<T> {
  const csrf = session()?.csrfToken;
  return guarded(postJson<T>(path, body, csrf ? { csrf } : {}));
}

export function teamPut<T>(path: string, body: unknown): Promise<T> {
  const csrf = session()?.csrfToken;
  return guarded(putJson<T>(path, body, csrf ? { csrf } : {}));
}

/** Raw bytes (an encrypted recording) with the session's CSRF token. */
export function teamPostBytes<T>(path: string, bytes: Uint8Array): Promise<T> {
  const csrf = session()?.csrfToken;
  return guarded(postBytes<T>(path, bytes, csrf ? { csrf } : {}));
}

/** Raw bytes by PUT, with extra headers (a signed recording), and the session's CSRF token. */
export function teamPutBytes(path: string, bytes: Uint8Array, headers: Readonly<Record<string, string>>): Promise<void> {
  const csrf = session()?.csrfToken;
  return guarded(putBytes(path, bytes, headers, csrf ? { csrf } : {}));
}
