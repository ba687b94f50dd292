/**
 * Opening one encrypted attachment in the browser, for both sides: "Open"
 * fetches the ciphertext (investigators: GET /api/cases/:id/attachments/:id;
 * the worker: POST /api/status/attachments/:id with the token-derived
 * credentials), decrypts it here, and previews it only when its decrypted
 * bytes are a picture, a video or a sound (./attachment-view.ts); any file
 * can be saved as opaque bytes. Nothing is decrypted on the server.
 */
import { ApiError } from '../lib/api.ts';
import { apiUrl } from '../lib/api-origin.ts';
import { h } from '../lib/dom.ts';
import { previewElement, saveBytes, type joinAttachments } from './attachment-view.ts';

export type AttachmentRow = ReturnType<typeof joinAttachments>[number];

/** Where the ciphertext comes from and which key opens it. */
export interface AttachmentSource {
  fetch(attachmentId: string): Promise<Uint8Array>;
  decrypt(ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** The words of each side (the team workspace and the status page have their own catalogs). */
export interface OpenTexts {
  open: string;
  opening: string;
  save: string;
  /** Why it failed, e.g. "could not be decrypted with your key" or a network problem. */
  problem(error: unknown): string;
}

/** Fetches ciphertext as bytes; a refusal becomes an ApiError with the server's code. */
export async function fetchCiphertext(path: string, init: RequestInit = {}): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path), { credentials: 'same-origin', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer', ...init });
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiError(response.status, body.error ?? `http_${response.status}`, body.message ?? response.statusText);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * One file: its label, an "Open" button, a status line and the preview.
 * `releases` collects what revokes blob URLs when the view is redrawn.
 */
export function attachmentEntry(
  row: AttachmentRow, label: string, source: AttachmentSource, texts: OpenTexts, releases: Array<() => void>,
): HTMLLIElement {
  const status = h('p', { class: 'muted', attrs: { role: 'status' } });
  const preview = h('div', { class: 'attachment-preview' });
  const open = h('button', { class: 'btn', text: texts.open, attrs: { type: 'button', 'data-attachment-id': row.id } });
  open.addEventListener('click', () => void openAttachment(row, source, texts, releases, { open, status, preview }));
  return h('li', { attrs: { 'data-attachment-id': row.id } }, h('span', { class: 'attachment-name', text: label, attrs: { dir: 'auto' } }), ' ', open, status, preview);
}

async function openAttachment(
  row: AttachmentRow, source: AttachmentSource, texts: OpenTexts, releases: Array<() => void>,
  ui: { open: HTMLButtonElement; status: HTMLElement; preview: HTMLElement },
): Promise<void> {
  ui.open.disabled = true;
  ui.status.textContent = texts.opening;
  try {
    const plain = await source.decrypt(await source.fetch(row.id));
    const shown = previewElement(plain, row.meta);
    if (shown) {
      releases.push(shown.release);
      ui.preview.replaceChildren(shown.element);
    }
    const save = h('button', { class: 'btn', text: texts.save, attrs: { type: 'button' } });
    save.addEventListener('click', () => saveBytes(plain, row.meta?.name ?? `attachment-${row.id}`));
    ui.preview.append(save);
    ui.status.textContent = '';
    ui.open.hidden = true;
  } catch (error) {
    ui.status.textContent = texts.problem(error);
    ui.open.disabled = false;
  }
}
