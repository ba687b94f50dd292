/**
 * The one way the pages talk to the server: JSON over fetch, same origin —
 * or, for worker pages built for an independent static host, the API origin
 * fixed at build time (./api-origin.ts), still without cookies.
 * Failures become an `ApiError` with the server's stable code
 * (`{ error, message }`), `network` when the server was not reached, or
 * `bad_response` when the answer was not the JSON we expect.
 *
 * Reporter secrets (lookup id, verifier) travel only in POST bodies, never in
 * a URL; the case token itself never travels at all.
 */
import { apiUrl } from './api-origin.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From a 429's Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  /** Investigator requests: the session's CSRF token, sent as X-Ombud-CSRF. */
  csrf?: string;
  /**
   * Gives the request up as lost (ApiError 0 `network`) when no answer has begun this long after it was
   * sent, plus a second for each 10 kB of its body (a slow link is not a dead one). A phone that loses its
   * signal does not always hear of it, and the request would wait for months. Only for sends that are safe
   * to make again (./resend.ts): the server may have stored what the lost answer was about.
   */
  answerWithinMs?: number;
}

export function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return request<T>('GET', path, undefined, options);
}

export function postJson<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
  return request<T>('POST', path, body, options);
}

export function putJson<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
  return request<T>('PUT', path, body, options);
}

async function request<T>(method: string, path: string, body: unknown, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  if (options.csrf) headers['X-Ombud-CSRF'] = options.csrf;
  const text = method === 'GET' ? undefined : JSON.stringify(body ?? {});
  const watch = options.answerWithinMs === undefined ? undefined : new AbortController();
  const giveUp = watch && setTimeout(() => watch.abort(), options.answerWithinMs! + Math.ceil((text?.length ?? 0) / 10));
  let pending: Promise<Response>;
  try {
    // common/report-early-script.ts makes the report page's first GET with these same options.
    pending = fetch(apiUrl(path), {
      method,
      headers,
      body: text,
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      signal: watch?.signal,
    });
  } catch (error) {
    pending = Promise.reject(error);
  }
  return answerOf<T>(pending, () => clearTimeout(giveUp)); // the answer has begun: its (small) body is read without a watch
}

/** The JSON answer of a request already made (`fetch`'s promise), with the errors of getJson; `begun` once its answer has. */
export async function answerOf<T>(pending: Promise<Response>, begun = () => undefined as void): Promise<T> {
  let response: Response;
  try {
    response = await pending;
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached');
  } finally {
    begun();
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', 'the server sent something that is not JSON');
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') {
      return new ApiError(response.status, body.error, String(body.message ?? body.error), retryAfter);
    }
  } catch {
    // not JSON: fall through to a code made from the status
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText, retryAfter);
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

/** Whole minutes to wait, at least one. */
export function waitMinutes(error: ApiError): number {
  return Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
}

/** POSTs raw bytes (an OpenPGP ciphertext) and reads a JSON answer, with the same errors as postJson. */
export async function postBytes<T>(path: string, bytes: Uint8Array, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/octet-stream' };
  if (options.csrf) headers['X-Ombud-CSRF'] = options.csrf;
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST', headers, body: new Blob([bytes.slice()]), credentials: 'same-origin', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
  if (!response.ok) throw await toApiError(response);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', 'the server sent something that is not JSON');
  }
}

/** PUTs raw bytes with extra headers (a signed recording of a listen prompt) and expects an answer without a body. */
export async function putBytes(path: string, bytes: Uint8Array, extra: Readonly<Record<string, string>>, options: RequestOptions = {}): Promise<void> {
  const headers: Record<string, string> = { ...extra, Accept: 'application/json', 'Content-Type': 'application/octet-stream' };
  if (options.csrf) headers['X-Ombud-CSRF'] = options.csrf;
  let response: Response;
  try {
    response = await fetch(apiUrl(path), {
      method: 'PUT', headers, body: new Blob([bytes.slice()]), credentials: 'same-origin', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
  if (!response.ok) throw await toApiError(response);
}
