/**
 * Sending one encrypted attachment: an upload ticket bought once with a
 * proof of work (POST /api/uploads/ticket), then the raw OpenPGP bytes as a
 * resumable upload (POST /api/uploads/resumable, PATCH /api/uploads/:id;
 * server/reporter/upload-resume.ts) through XMLHttpRequest, whose upload
 * events give a real progress bar. Only ciphertext is sent: no file name, no type.
 */
import type { PowChallenge, UploadState, UploadTicket } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import { ApiError, postJson } from '../lib/api.ts';
import { apiUrl } from '../lib/api-origin.ts';
import { loadCrypto } from '../lib/crypto.ts';
import { isTransient, pauseForNetwork, untilAnswered } from '../lib/resend.ts';
import { sha256Hex } from '../lib/sha256.ts';

interface HeldTicket {
  ticket: string;
  /** Client clock; only used to renew a ticket well before the server would refuse it. */
  renewAfter: number;
}

let held: Promise<HeldTicket> | undefined;

/** A ticket with at least ten minutes left; solves a proof of work for a new one when needed. */
export async function uploadTicket(): Promise<string> {
  const current = held && (await held.catch(() => undefined));
  if (current && Date.now() < current.renewAfter) return current.ticket;
  held = (async () => {
    const crypto = await loadCrypto();
    const challenge = await postJson<PowChallenge>('/api/pow', {});
    const nonce = await crypto.solvePow(challenge);
    const issued = await postJson<UploadTicket>('/api/uploads/ticket', { pow: { challenge: challenge.challenge, nonce } });
    return { ticket: issued.ticket, renewAfter: Date.now() + (issued.expiresInSeconds - 600) * 1000 };
  })();
  held.catch(() => (held = undefined));
  return (await held).ticket;
}

/** Whether `ticket` is still the one uploads go under (else earlier uploads must be sent again). */
export async function currentTicket(): Promise<string | undefined> {
  return (await held?.catch(() => undefined))?.ticket;
}

export function forgetTicket(): void {
  held = undefined;
}

export interface Upload {
  done: Promise<string>;
  abort(): void;
}

/**
 * Uploads in progress, by their ciphertext: "try again" on the same file continues the upload the server
 * holds part of, instead of opening a new one (server/reporter/upload-resume.ts).
 */
const resumable = new WeakMap<Uint8Array, { ticket: string; uploadId: string; digest: string }>();

/** Pauses while no byte gets through; after as many pauses without progress, the file is marked "not sent". */
const PAUSES_MS = [1_000, 2_000, 4_000, 8_000, 8_000, 8_000] as const;

/**
 * A try during which nothing moves either way for this long is taken for dead and abandoned (then the
 * upload continues from what the server holds). A phone that loses its signal does not always hear of it:
 * the connection stays open in silence, and the try would wait for an answer forever. Longer than the
 * server's own idle limit (server/reporter/read-body.ts, 30 s), so that the server has let the silent try
 * go, and stored what it got, before the page asks where it stands. Test: tests/upload-resume.test.ts.
 */
export const SILENT_TRY_MS = 45_000;

/** No answer, or a server that gave up on a body that stopped arriving: continue from what it holds. */
function worthResuming(error: unknown): boolean {
  return isTransient(error) || (error instanceof ApiError && ['upload_stalled', 'upload_too_slow', 'upload_offset_mismatch', 'invalid_request'].includes(error.code));
}


/**
 * Uploads `ciphertext` so that a dropped connection costs only the bytes that did not arrive: the upload
 * is opened with its length and SHA-256, its bytes are sent from where the server stands, and after a cut
 * the page asks the server what it holds and sends only the rest, in PATCHes of at most
 * LIMITS.uploadPatchBytes (a try refused while the server still reads a cut one wastes no more). `onProgress(0…1)` follows the bytes the
 * server has plus those on their way; `onWaiting` says the connection is gone and the page waits for it.
 * Resolves with the upload id once every byte is staged.
 */
export function sendUpload(ciphertext: Uint8Array, ticket: string, onProgress: (fraction: number) => void, onWaiting?: () => void): Upload {
  let current: XMLHttpRequest | undefined;
  let stopped = false;
  const headers = (digest: string) => ({ 'X-Ombud-Upload-Ticket': ticket, 'X-Ombud-Upload-Digest': digest });
  const call = <T>(method: string, url: string, extra: Record<string, string>, body?: Uint8Array, progress?: (loaded: number) => void): Promise<T> => {
    if (stopped) return Promise.reject(new ApiError(0, 'aborted', 'the upload was stopped'));
    const xhr = (current = new XMLHttpRequest());
    return xhrJson<T>(xhr, method, url, extra, body, progress);
  };
  const done = (async () => {
    const length = ciphertext.byteLength;
    const digest = await sha256Hex(ciphertext);
    let held = resumable.get(ciphertext);
    let offset = 0;
    if (held && held.ticket === ticket && held.digest === digest) {
      try {
        const state = await call<UploadState>('GET', `/api/uploads/${held.uploadId}`, headers(digest));
        if (state.complete) return held.uploadId;
        offset = state.offset;
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'upload_unknown') throw error;
        held = undefined; // purged, or another ticket: start again
      }
    } else {
      held = undefined;
    }
    if (!held) {
      const opened = await untilAnswered(() => call<UploadState>(
        'POST', '/api/uploads/resumable', { ...headers(digest), 'X-Ombud-Upload-Length': String(length) }, new Uint8Array(0),
      ));
      held = { ticket, uploadId: opened.uploadId, digest };
      resumable.set(ciphertext, held);
    }
    const { uploadId } = held;
    let fruitless = 0;
    for (;;) {
      const from = offset;
      try {
        onProgress(from / length);
        const state = await call<UploadState>(
          'PATCH', `/api/uploads/${uploadId}`, { ...headers(digest), 'X-Ombud-Upload-Offset': String(from) },
          ciphertext.subarray(from, Math.min(length, from + LIMITS.uploadPatchBytes)), (loaded) => onProgress((from + loaded) / length),
        );
        if (state.complete) {
          resumable.delete(ciphertext);
          return uploadId;
        }
        offset = state.offset;
      } catch (error) {
        if (stopped || !worthResuming(error)) {
          if (error instanceof ApiError && ['upload_unknown', 'upload_changed', 'upload_digest_mismatch'].includes(error.code)) resumable.delete(ciphertext);
          throw error;
        }
        if (fruitless >= PAUSES_MS.length) throw error;
        onWaiting?.();
        await pauseForNetwork(PAUSES_MS[fruitless]!);
        try {
          offset = (await call<UploadState>('GET', `/api/uploads/${uploadId}`, headers(digest))).offset;
        } catch (asking) {
          if (stopped || !isTransient(asking)) throw asking;
        }
      }
      fruitless = offset > from ? 0 : fruitless + 1;
    }
  })();
  return {
    done,
    abort: () => {
      stopped = true;
      current?.abort();
    },
  };
}

/** One request through XMLHttpRequest (whose upload events give a real progress bar); JSON back, or an ApiError. */
function xhrJson<T>(
  xhr: XMLHttpRequest, method: string, url: string, headers: Record<string, string>, body?: Uint8Array, onProgress?: (loaded: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    xhr.open(method, apiUrl(url));
    if (body) xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    const network = () => reject(new ApiError(0, 'network', 'the server could not be reached'));
    // Every sign of life (a byte out, a byte back) restarts the watch; silence for SILENT_TRY_MS ends the try as a lost connection.
    let silent = false;
    let watch: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(watch);
      watch = setTimeout(() => {
        silent = true;
        xhr.abort();
      }, SILENT_TRY_MS);
    };
    xhr.onloadend = () => clearTimeout(watch);
    xhr.onprogress = alive;
    xhr.upload.onprogress = (event) => {
      alive();
      onProgress?.(event.loaded);
    };
    xhr.onerror = network;
    xhr.ontimeout = network;
    xhr.onabort = () => (silent ? network() : reject(new ApiError(0, 'aborted', 'the upload was stopped')));
    xhr.onload = () => {
      let answer: Partial<{ error: string; message: string }> & Record<string, unknown> = {};
      try {
        answer = JSON.parse(xhr.responseText) as typeof answer;
      } catch {
        // not JSON: handled below by status
      }
      if (xhr.status >= 200 && xhr.status < 300 && typeof answer.error !== 'string') return resolve(answer as T);
      const retryAfter = Number(xhr.getResponseHeader('Retry-After')) || undefined;
      reject(new ApiError(xhr.status, answer.error ?? `http_${xhr.status}`, answer.message ?? 'upload refused', retryAfter));
    };
    // A copy in its own buffer: XHR sends the whole ArrayBuffer behind a view.
    xhr.send(body ? new Blob([body.slice()], { type: 'application/octet-stream' }) : null);
    alive();
  });
}
