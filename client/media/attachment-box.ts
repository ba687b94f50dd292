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
 * ticket is per page. What each file is doing lives in ./attachment-state.ts
 * (no DOM); this module does the work and feeds the outcomes in as events;
 * ./attachment-list.ts draws the list.
 */
import { i18n } from '../i18n/index.ts';
import { ApiError } from '../lib/api.ts';
import { loadCrypto } from '../lib/crypto.ts';
import { limitsHint, renderList, repeatRefusal, showRefusal, type ListView } from './attachment-list.ts';
import {
  busy, needsSending, newItem, notReady, preparedOf, refusalAfter, refusalBefore, stale, transition,
  type AttachmentItem, type ItemEvent, type PreparedAttachments, type Refusal,
} from './attachment-state.ts';
import { classify } from './sniff.ts';
import { MediaFormatError, stripMetadata } from './strip.ts';
import { forgetTicket, sendUpload, uploadTicket } from './upload.ts';

export type { AttachmentItem, ItemState, PreparedAttachments, Refusal } from './attachment-state.ts';

/** Some attachment is not uploaded (the worker can retry or remove it). */
export class AttachmentsNotReadyError extends Error {
  override name = 'AttachmentsNotReadyError';
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

/** One box's list and bookkeeping, shared by the steps below. */
interface List {
  readonly options: AttachmentBoxOptions;
  readonly items: AttachmentItem[];
  /** Bumped whenever the recipients change; a ciphertext made for an older one is thrown away. */
  generation: number;
  resealTimer?: ReturnType<typeof setTimeout>;
  // Files still being read and cleaned are not in `items` yet; sending must
  // wait for them too, or a report could leave without a file the worker chose.
  readonly inFlight: Set<Promise<unknown>>;
  /** Draws the list again. */
  update(): void;
}

/** Moves the item on (./attachment-state.ts), in place: the list and the jobs under way hold it by identity. */
function apply(item: AttachmentItem, event: ItemEvent): void {
  Object.assign(item, transition(item, event));
}

function track<T>(list: List, job: Promise<T>): Promise<T> {
  list.inFlight.add(job);
  const done = () => void list.inFlight.delete(job);
  job.then(done, done);
  return job;
}

function unseal(item: AttachmentItem): void {
  item.upload?.abort();
  apply(item, { type: 'unseal' });
}

/** Reads the file, checks its kind by its bytes and cleans it: the cleaned bytes and type, or why it is refused. */
async function cleanFile(file: File, name: string, voice: boolean): Promise<{ clean: Uint8Array; type: string } | { refusal: Refusal }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { refusal: { reason: 'unreadable', name } };
  }
  const sniffed = classify(bytes.subarray(0, 64), { name: file.name, type: file.type, voice });
  if (!sniffed.ok) {
    return { refusal: sniffed.reason === 'mislabelled' ? { reason: 'mislabelled', name, kind: sniffed.kind } : { reason: 'unsupported', name } };
  }
  try {
    return { clean: stripMetadata(sniffed.kind, bytes), type: sniffed.type };
  } catch (error) {
    if (error instanceof MediaFormatError || error instanceof RangeError) return { refusal: { reason: 'damaged', name } };
    throw error;
  }
}

async function addNow(list: List, file: File, opts: { kind?: 'voice' }): Promise<string | undefined> {
  const { view } = list.options;
  const refuse = (refusal: Refusal): undefined => void showRefusal(view, refusal);
  showRefusal(view, undefined);
  const name = file.name || (opts.kind === 'voice' ? 'voice' : 'file');
  const early = refusalBefore(list.items, { name, size: file.size });
  if (early) return refuse(early);
  const cleaned = await cleanFile(file, name, opts.kind === 'voice');
  if ('refusal' in cleaned) return refuse(cleaned.refusal);
  const late = refusalAfter(list.items, name);
  if (late) return refuse(late);
  const item = newItem({ id: localId(), name, type: cleaned.type, kind: opts.kind ?? 'file', clean: cleaned.clean });
  list.items.push(item);
  list.update();
  void process(list, item);
  return item.id;
}

/** Encrypts the file (unless its ciphertext is kept) and uploads it; a failure leaves it 'failed' with its error. */
async function process(list: List, item: AttachmentItem): Promise<void> {
  const { items } = list;
  const progress = (fraction: number) => {
    apply(item, { type: 'progress', fraction });
    list.update();
  };
  try {
    if (!item.ciphertext) {
      apply(item, { type: 'encrypt' });
      list.update();
      const crypto = await loadCrypto();
      apply(item, { type: 'progress', fraction: 0 });
      const generation = list.generation;
      const recipients = await list.options.recipients();
      const ciphertext = await crypto.encryptPayload({ data: item.clean!, recipients, onProgress: progress });
      apply(item, { type: 'sealed', ciphertext, generation });
    }
    if (!items.includes(item)) return;
    apply(item, { type: 'upload' });
    list.update();
    const ticket = await uploadTicket();
    item.upload = sendUpload(item.ciphertext!, ticket, progress, () => {
      apply(item, { type: 'waiting' });
      list.update();
    });
    apply(item, { type: 'uploaded', uploadId: await item.upload.done, ticket });
  } catch (error) {
    if (!items.includes(item)) return; // removed while it was under way
    if (error instanceof ApiError && (error.code === 'upload_ticket_expired' || error.code === 'upload_ticket_invalid' || error.code === 'upload_budget_exceeded')) {
      forgetTicket();
    }
    apply(item, { type: 'fail', error });
  } finally {
    item.upload = undefined;
    list.update();
  }
  // The recipients changed while this file was being encrypted or sent: seal it again for the new ones.
  if (items.includes(item) && stale(item, list.generation)) {
    unseal(item);
    await process(list, item);
  }
}

async function prepare(list: List): Promise<PreparedAttachments> {
  const { items } = list;
  while (list.inFlight.size > 0 || items.some(busy)) await new Promise((resolve) => setTimeout(resolve, 200));
  if (items.length === 0) return { ids: [], metas: [] };
  clearTimeout(list.resealTimer); // sealed again right here, one file after the other
  for (const item of items) if (stale(item, list.generation)) unseal(item);
  const ticket = await uploadTicket();
  for (const item of items) {
    if (needsSending(item, ticket)) {
      apply(item, { type: 'resend' });
      await process(list, item);
    }
  }
  const failed = notReady(items, ticket, list.generation);
  // A file refused because its keys are not vouched for (client/lib/pins.ts PinError) is not a glitch to
  // retry: the page shows its warning instead of "try again".
  const told = failed?.error instanceof ApiError || (failed?.error instanceof Error && failed.error.name === 'PinError');
  if (failed) throw told ? failed.error : new AttachmentsNotReadyError('an attachment is not uploaded');
  return preparedOf(items, ticket);
}

/** The file input (if any) adds what was chosen; the hint, list and refusal follow the worker's language. */
function mountInput(list: List, add: (file: File) => Promise<unknown>): void {
  const { input, hint, view } = list.options;
  if (input) {
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      input.value = ''; // the same file can be chosen again after "remove"
      void track(
        list,
        (async () => {
          for (const file of files) await add(file);
        })(),
      );
    });
  }
  const relabel = () => {
    if (hint) hint.textContent = limitsHint();
    list.update();
    repeatRefusal(view);
  };
  i18n.onChange(relabel);
  relabel();
}

export function createAttachmentBox(options: AttachmentBoxOptions): AttachmentBox {
  const list: List = {
    options,
    items: [],
    generation: 0,
    inFlight: new Set(),
    update: () => renderList(options.view, list.items, { remove, retry: (id) => void retry(id) }),
  };
  const add = (file: File, opts: { kind?: 'voice' } = {}) => track(list, addNow(list, file, opts));

  function remove(id: string): void {
    const index = list.items.findIndex((item) => item.id === id);
    if (index < 0) return;
    const [item] = list.items.splice(index, 1);
    item?.upload?.abort();
    item?.clean?.fill(0);
    list.update();
  }

  async function retry(id: string): Promise<void> {
    const item = list.items.find((i) => i.id === id);
    if (item && item.state === 'failed') await process(list, item);
  }

  mountInput(list, add);
  return {
    add,
    remove,
    count: () => list.items.length,
    prepare: () => prepare(list),
    resetUploads() {
      forgetTicket();
      for (const item of list.items) apply(item, { type: 'forgetTicket' });
    },
    recipientsChanged() {
      list.generation += 1;
      // A worker may tick and untick a few times: seal again once they paused.
      clearTimeout(list.resealTimer);
      list.resealTimer = setTimeout(() => {
        for (const item of list.items) {
          if (!busy(item) && stale(item, list.generation)) {
            unseal(item);
            void process(list, item);
          }
        }
        list.update();
      }, 600);
    },
    clear() {
      for (const item of list.items.splice(0)) {
        item.upload?.abort();
        item.clean?.fill(0);
      }
      forgetTicket();
      options.onClear?.();
      showRefusal(options.view, undefined);
      list.update();
    },
  };
}
