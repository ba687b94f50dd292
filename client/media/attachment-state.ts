/**
 * The attachment box's state, apart from the page: what each file in the
 * list is doing, the events that move it on, and the list's own rules (the
 * limits, which ciphertexts are stale after the recipients changed, what
 * `prepare` may hand to the request). No DOM, no network, no crypto:
 * ./attachment-box.ts does that work and feeds its outcomes in as events;
 * ./attachment-list.ts draws the result.
 *
 *   preparing ─encrypt─▶ encrypting ─upload─▶ uploading ─uploaded─▶ done
 *                            │                    │                  │
 *                            └──────fail──────────┴──▶ failed        │
 *   failed ─encrypt─▶ encrypting   (no ciphertext yet: "try again")  │
 *   failed ─upload──▶ uploading    (the ciphertext is kept)          │
 *   done | failed ─unseal─▶ preparing   (the recipients changed)     │
 *   any ─resend─▶ failed   (prepare: send again under this ticket) ◀─┘
 *
 * An event in a state it does not belong to is a bug in the box, not
 * something a worker can cause: `transition` throws rather than guess.
 */
import { LIMITS } from '../../common/limits.ts';
import type { AttachmentMeta } from '../../common/report.ts';
import type { MediaKind } from './sniff.ts';
import type { Upload } from './upload.ts';

export type ItemState = 'preparing' | 'encrypting' | 'uploading' | 'done' | 'failed';

export interface AttachmentItem {
  id: string;
  name: string;
  type: string;
  kind: 'file' | 'voice';
  /** Size after cleaning, before encryption. */
  size: number;
  state: ItemState;
  /** Upload progress, 0…1. */
  progress: number;
  /** The connection is gone; the upload continues from what the server holds once it is back (./upload.ts). */
  waiting?: boolean;
  error?: unknown;
  /** Internal: the cleaned file, its ciphertext, the upload under way or done. */
  clean?: Uint8Array;
  ciphertext?: Uint8Array;
  upload?: Upload;
  uploadId?: string;
  ticket?: string;
  /** The recipients generation its ciphertext was made for (see AttachmentBox.recipientsChanged). */
  sealedFor?: number;
}

/** Why a file was not added: shown in the worker's language by ./attachment-list.ts. */
export type Refusal =
  | { reason: 'tooMany' | 'tooBig' | 'tooMuch' | 'unsupported' | 'damaged' | 'unreadable'; name: string; size?: number }
  | { reason: 'mislabelled'; name: string; kind: MediaKind | undefined };

/** What the request and the encrypted content need once every file is uploaded. */
export interface PreparedAttachments {
  uploadTicket?: string;
  ids: string[];
  metas: AttachmentMeta[];
}

export type ItemEvent =
  | { type: 'encrypt' }
  | { type: 'progress'; fraction: number }
  /** No connection: the upload waits and then continues from what the server holds. */
  | { type: 'waiting' }
  /** The ciphertext for the recipients of `generation`. */
  | { type: 'sealed'; ciphertext: Uint8Array; generation: number }
  | { type: 'upload' }
  | { type: 'uploaded'; uploadId: string; ticket: string }
  | { type: 'fail'; error: unknown }
  /** The recipients changed: the ciphertext and its upload are thrown away. */
  | { type: 'unseal' }
  /** Send again: failed, or uploaded under a ticket that is not the current one. */
  | { type: 'resend' }
  /** The server no longer knows the ticket: the upload must be sent again. */
  | { type: 'forgetTicket' };

const ANY: readonly ItemState[] = ['preparing', 'encrypting', 'uploading', 'done', 'failed'];

/** The states each event may happen in. */
export const ACCEPTS: Readonly<Record<ItemEvent['type'], readonly ItemState[]>> = {
  encrypt: ['preparing', 'failed'],
  progress: ['encrypting', 'uploading'],
  waiting: ['uploading'],
  sealed: ['encrypting'],
  upload: ['encrypting', 'failed'],
  uploaded: ['uploading'],
  fail: ['encrypting', 'uploading'],
  unseal: ['done', 'failed'],
  resend: ANY,
  forgetTicket: ANY,
};

/** A new file in the list, cleaned and not yet encrypted. */
export function newItem(fields: { id: string; name: string; type: string; kind: 'file' | 'voice'; clean: Uint8Array }): AttachmentItem {
  return { ...fields, size: fields.clean.length, state: 'preparing', progress: 0 };
}

/** The item after `event`; the item given is not changed. */
export function transition(item: Readonly<AttachmentItem>, event: ItemEvent): AttachmentItem {
  if (!ACCEPTS[event.type].includes(item.state)) throw new Error(`attachment: ${event.type} while ${item.state}`);
  switch (event.type) {
    case 'encrypt': return { ...item, state: 'encrypting' };
    case 'progress': return { ...item, progress: event.fraction, waiting: false };
    case 'waiting': return { ...item, waiting: true };
    case 'sealed': return { ...item, ciphertext: event.ciphertext, sealedFor: event.generation };
    case 'upload': return { ...item, state: 'uploading', progress: 0 };
    case 'uploaded': return { ...item, state: 'done', progress: 1, uploadId: event.uploadId, ticket: event.ticket };
    case 'fail': return { ...item, state: 'failed', error: event.error };
    // not 'done': nothing for the new recipients is uploaded yet
    case 'unseal': return { ...item, state: 'preparing', ciphertext: undefined, uploadId: undefined, ticket: undefined, sealedFor: undefined };
    case 'resend': return { ...item, state: 'failed' };
    case 'forgetTicket': return { ...item, ticket: undefined };
  }
}

/** Cleaning, encrypting or uploading: `prepare` waits for it. */
export const busy = (item: Readonly<AttachmentItem>): boolean =>
  item.state === 'preparing' || item.state === 'encrypting' || item.state === 'uploading';

/** Its ciphertext was made for recipients before the current `generation`. */
export const stale = (item: Readonly<AttachmentItem>, generation: number): boolean =>
  item.ciphertext !== undefined && item.sealedFor !== generation;

/** The list's limits, checked before a file is read: the refusal, or undefined if it may be added. */
export function refusalBefore(items: readonly AttachmentItem[], file: { name: string; size: number }): Refusal | undefined {
  const { name } = file;
  if (items.length >= LIMITS.attachmentsPerReport) return { reason: 'tooMany', name };
  if (file.size > LIMITS.attachmentBytes) return { reason: 'tooBig', name, size: file.size };
  const total = items.reduce((sum, item) => sum + item.size, 0);
  if (total + file.size > LIMITS.attachmentsTotalBytes) return { reason: 'tooMuch', name };
  return undefined;
}

/** Checked again once the file is cleaned: other files may have filled the list meanwhile. */
export function refusalAfter(items: readonly AttachmentItem[], name: string): Refusal | undefined {
  return items.length >= LIMITS.attachmentsPerReport ? { reason: 'tooMany', name } : undefined;
}

/** Whether `prepare` must send it (again) under `ticket`. */
export const needsSending = (item: Readonly<AttachmentItem>, ticket: string): boolean => item.state === 'failed' || item.ticket !== ticket;

/** The first file that may not go with the request: not uploaded, under another ticket, or sealed for other keys. */
export function notReady(items: readonly AttachmentItem[], ticket: string, generation: number): AttachmentItem | undefined {
  return items.find((item) => item.state !== 'done' || item.ticket !== ticket || item.sealedFor !== generation);
}

/** The request's ids and the metas that go inside the encrypted content, once `notReady` found nothing. */
export function preparedOf(items: readonly AttachmentItem[], ticket: string): PreparedAttachments {
  return {
    uploadTicket: ticket,
    ids: items.map((item) => item.uploadId!),
    metas: items.map((item) => ({ id: item.uploadId!, name: item.name, type: item.type, size: item.size, kind: item.kind })),
  };
}
