/**
 * A list of files a worker sends with a report or a reply: photos,
 * documents, short videos and voice messages. Each file, as soon as it is
 * chosen, is
 *
 *   checked (count, size, kind by its bytes) → cleaned of metadata
 *   (./strip.ts) → encrypted to `recipients()` → uploaded
 *   (./upload.ts) with a progress bar,
 *
 * so that pressing "send" has little left to do. A failed upload keeps the
 * file and offers "try again"; nothing typed in the form is touched. The
 * file's name and type go only into the encrypted report or message
 * (`attachments`), never into a request in the clear.
 *
 * Used by the report form (client/report/attachments.ts) and the status
 * page's reply (client/status/reply.ts); one list per page, since the upload
 * ticket is per page.
 */
import { LIMITS } from '../../common/limits.ts';
import type { AttachmentMeta } from '../../common/report.ts';
import { i18n } from '../i18n/index.ts';
import { ApiError } from '../lib/api.ts';
import { loadCrypto } from '../lib/crypto.ts';
import { limitsHint, renderList, repeatRefusal, showRefusal, type ListView } from './attachment-list.ts';
import { forgetTicket, sendUpload, uploadTicket, type Upload } from './upload.ts';
import { classify, type MediaKind } from './sniff.ts';
import { MediaFormatError, stripMetadata } from './strip.ts';

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
  error?: unknown;
  /** Internal: the cleaned file, its ciphertext, the upload under way or done. */
  clean?: Uint8Array;
  ciphertext?: Uint8Array;
  upload?: Upload;
  uploadId?: string;
  ticket?: string;
  /** The recipients generation its ciphertext was made for (see recipientsChanged). */
  sealedFor?: number;
}

/** Why a file was not added: shown in the worker's language by ./attachment-list.ts. */
export type Refusal =
  | { reason: 'tooMany' | 'tooBig' | 'tooMuch' | 'unsupported' | 'damaged' | 'unreadable'; name: string; size?: number }
  | { reason: 'mislabelled'; name: string; kind: MediaKind | undefined };

/** Some attachment is not uploaded (the worker can retry or remove it). */
export class AttachmentsNotReadyError extends Error {
  override name = 'AttachmentsNotReadyError';
}

/** What the request and the encrypted content need once every file is uploaded. */
export interface PreparedAttachments {
  uploadTicket?: string;
  ids: string[];
  metas: AttachmentMeta[];
}

export interface AttachmentBox {
  /** Adds a file. Resolves with its id in the list, or undefined if it was refused (the reason is shown). */
  add(file: File, opts?: { kind?: 'voice' }): Promise<string | undefined>;
  remove(id: string): void;
  /** How many files are in the list. */
  count(): number;
  /**
   * Before sending: waits for uploads under way, sends again what failed or
   * went under an older ticket. Throws AttachmentsNotReadyError (or the
   * network error) if a file still could not be sent; the list then shows
   * "try again".
   */
  prepare(): Promise<PreparedAttachments>;
  /** After the server refused the uploads (expired or purged ticket): send every file again on the next try. */
  resetUploads(): void;
  /**
   * `recipients()` now gives other keys (the worker changed who receives the
   * report): every file is encrypted and sent again, and `prepare()` never
   * returns a file sealed for the keys before.
   */
  recipientsChanged(): void;
  /** After the report or message was stored: empty the list and wipe the cleaned files. */
  clear(): void;
}

export interface AttachmentBoxOptions {
  /** Where the list and the refusals are shown. */
  view: ListView;
  /** The file input and the hint above it (the limits), if the page has them. */
  input?: HTMLInputElement;
  hint?: HTMLElement;
  /** Exactly the keys the report or message is encrypted to. */
  recipients(): Promise<string[]>;
  /** Called when the list is emptied (e.g. to forget cached recipients). */
  onClear?(): void;
}

function localId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const busy = (item: AttachmentItem) => item.state === 'preparing' || item.state === 'encrypting' || item.state === 'uploading';

export function createAttachmentBox(options: AttachmentBoxOptions): AttachmentBox {
  const { view } = options;
  const items: AttachmentItem[] = [];
  const update = () => renderList(view, items, { remove, retry: (id) => void retry(id) });
  /** Bumped whenever the recipients change; a ciphertext made for an older one is thrown away. */
  let generation = 0;
  let resealTimer: ReturnType<typeof setTimeout> | undefined;
  const stale = (item: AttachmentItem) => item.ciphertext !== undefined && item.sealedFor !== generation;
  function unseal(item: AttachmentItem): void {
    item.upload?.abort();
    item.ciphertext = undefined;
    item.uploadId = undefined;
    item.ticket = undefined;
    item.sealedFor = undefined;
    item.state = 'preparing'; // not 'done': nothing for the new recipients is uploaded yet
  }

  function refuse(refusal: Refusal): undefined {
    showRefusal(view, refusal);
    return undefined;
  }

  // Files still being read and cleaned are not in `items` yet; sending must
  // wait for them too, or a report could leave without a file the worker chose.
  const inFlight = new Set<Promise<unknown>>();
  function track<T>(job: Promise<T>): Promise<T> {
    inFlight.add(job);
    const done = () => void inFlight.delete(job);
    job.then(done, done);
    return job;
  }

  function add(file: File, opts: { kind?: 'voice' } = {}): Promise<string | undefined> {
    return track(addNow(file, opts));
  }

  async function addNow(file: File, opts: { kind?: 'voice' }): Promise<string | undefined> {
    showRefusal(view, undefined);
    const name = file.name || (opts.kind === 'voice' ? 'voice' : 'file');
    if (items.length >= LIMITS.attachmentsPerReport) return refuse({ reason: 'tooMany', name });
    if (file.size > LIMITS.attachmentBytes) return refuse({ reason: 'tooBig', name, size: file.size });
    const total = items.reduce((sum, item) => sum + item.size, 0);
    if (total + file.size > LIMITS.attachmentsTotalBytes) return refuse({ reason: 'tooMuch', name });

    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      return refuse({ reason: 'unreadable', name });
    }
    const sniffed = classify(bytes.subarray(0, 64), { name: file.name, type: file.type, voice: opts.kind === 'voice' });
    if (!sniffed.ok) {
      return refuse(sniffed.reason === 'mislabelled' ? { reason: 'mislabelled', name, kind: sniffed.kind } : { reason: 'unsupported', name });
    }
    let clean: Uint8Array;
    try {
      clean = stripMetadata(sniffed.kind, bytes);
    } catch (error) {
      if (error instanceof MediaFormatError || error instanceof RangeError) return refuse({ reason: 'damaged', name });
      throw error;
    }
    if (items.length >= LIMITS.attachmentsPerReport) return refuse({ reason: 'tooMany', name });
    const item: AttachmentItem = {
      id: localId(), name, type: sniffed.type, kind: opts.kind ?? 'file', size: clean.length, state: 'preparing', progress: 0, clean,
    };
    items.push(item);
    update();
    void process(item);
    return item.id;
  }

  function remove(id: string): void {
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) return;
    const [item] = items.splice(index, 1);
    item?.upload?.abort();
    item?.clean?.fill(0);
    update();
  }

  async function process(item: AttachmentItem): Promise<void> {
    try {
      if (!item.ciphertext) {
        item.state = 'encrypting';
        update();
        const crypto = await loadCrypto();
        item.progress = 0;
        const sealedFor = generation;
        const recipients = await options.recipients();
        item.sealedFor = sealedFor;
        item.ciphertext = await crypto.encryptPayload({
          data: item.clean!,
          recipients,
          onProgress: (fraction) => {
            item.progress = fraction;
            update();
          },
        });
      }
      if (!items.includes(item)) return;
      item.state = 'uploading';
      item.progress = 0;
      update();
      const ticket = await uploadTicket();
      item.upload = sendUpload(item.ciphertext, ticket, (fraction) => {
        item.progress = fraction;
        update();
      });
      item.uploadId = await item.upload.done;
      item.ticket = ticket;
      item.state = 'done';
      item.progress = 1;
    } catch (error) {
      if (!items.includes(item)) return; // removed while it was under way
      if (error instanceof ApiError && (error.code === 'upload_ticket_expired' || error.code === 'upload_ticket_invalid' || error.code === 'upload_budget_exceeded')) {
        forgetTicket();
      }
      item.state = 'failed';
      item.error = error;
    } finally {
      item.upload = undefined;
      update();
    }
    // The recipients changed while this file was being encrypted or sent: seal it again for the new ones.
    if (items.includes(item) && stale(item)) {
      unseal(item);
      await process(item);
    }
  }

  async function retry(id: string): Promise<void> {
    const item = items.find((i) => i.id === id);
    if (item && item.state === 'failed') await process(item);
  }

  async function prepare(): Promise<PreparedAttachments> {
    while (inFlight.size > 0 || items.some(busy)) await new Promise((resolve) => setTimeout(resolve, 200));
    if (items.length === 0) return { ids: [], metas: [] };
    clearTimeout(resealTimer); // sealed again right here, one file after the other
    for (const item of items) if (stale(item)) unseal(item);
    const ticket = await uploadTicket();
    for (const item of items) {
      if (item.state === 'failed' || item.ticket !== ticket) {
        item.state = 'failed';
        await process(item);
      }
    }
    const failed = items.find((item) => item.state !== 'done' || item.ticket !== ticket || item.sealedFor !== generation);
    // A file refused because its keys are not vouched for (client/lib/pins.ts PinError) is not a glitch to
    // retry: the page shows its warning instead of "try again".
    const told = failed?.error instanceof ApiError || (failed?.error instanceof Error && failed.error.name === 'PinError');
    if (failed) throw told ? failed.error : new AttachmentsNotReadyError('an attachment is not uploaded');
    return {
      uploadTicket: ticket,
      ids: items.map((item) => item.uploadId!),
      metas: items.map((item) => ({ id: item.uploadId!, name: item.name, type: item.type, size: item.size, kind: item.kind })),
    };
  }

  const { input, hint } = options;
  if (input) {
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      input.value = ''; // the same file can be chosen again after "remove"
      void track(
        (async () => {
          for (const file of files) await add(file);
        })(),
      );
    });
  }
  const relabel = () => {
    if (hint) hint.textContent = limitsHint();
    update();
    repeatRefusal(view);
  };
  i18n.onChange(relabel);
  relabel();

  return {
    add,
    remove,
    count: () => items.length,
    prepare,
    resetUploads() {
      forgetTicket();
      for (const item of items) item.ticket = undefined;
    },
    recipientsChanged() {
      generation += 1;
      // A worker may tick and untick a few times: seal again once they paused.
      clearTimeout(resealTimer);
      resealTimer = setTimeout(() => {
        for (const item of items) {
          if (!busy(item) && stale(item)) {
            unseal(item);
            void process(item);
          }
        }
        update();
      }, 600);
    },
    clear() {
      for (const item of items.splice(0)) {
        item.upload?.abort();
        item.clean?.fill(0);
      }
      forgetTicket();
      options.onClear?.();
      showRefusal(view, undefined);
      update();
    },
  };
}
