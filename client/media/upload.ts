/**
 * Sending one encrypted attachment: an upload ticket bought once with a
 * proof of work (POST /api/uploads/ticket), then the raw OpenPGP bytes
 * (POST /api/uploads) through XMLHttpRequest, whose upload events give a
 * real progress bar. Only ciphertext is sent: no file name, no type.
 */
import type { PowChallenge, UploadCreated, UploadTicket } from '../../common/api.ts';
import { ApiError, postJson } from '../lib/api.ts';
import { apiUrl } from '../lib/api-origin.ts';
import { loadCrypto } from '../lib/crypto.ts';

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

/** Uploads `ciphertext`; `onProgress(0…1)` follows the bytes sent. Resolves with the upload id. */
export function sendUpload(ciphertext: Uint8Array, ticket: string, onProgress: (fraction: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<string>((resolve, reject) => {
    xhr.open('POST', apiUrl('/api/uploads'));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-Ombud-Upload-Ticket', ticket);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    const network = () => reject(new ApiError(0, 'network', 'the server could not be reached'));
    xhr.onerror = network;
    xhr.ontimeout = network;
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'the upload was stopped'));
    xhr.onload = () => {
      let body: Partial<UploadCreated & { error: string; message: string }> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON: handled below by status
      }
      if (xhr.status === 201 && typeof body.uploadId === 'string') return resolve(body.uploadId);
      const retryAfter = Number(xhr.getResponseHeader('Retry-After')) || undefined;
      reject(new ApiError(xhr.status, body.error ?? `http_${xhr.status}`, body.message ?? 'upload refused', retryAfter));
    };
    // A copy in its own buffer: XHR sends the whole ArrayBuffer behind a view.
    xhr.send(new Blob([ciphertext.slice()], { type: 'application/octet-stream' }));
  });
  return { done, abort: () => xhr.abort() };
}
