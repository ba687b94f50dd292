/**
 * The files a worker attaches to a report: photos, documents, short videos
 * and voice messages. Each file, as soon as it is chosen, is
 *
 *   checked (count, size, kind by its bytes) → cleaned of metadata
 *   (client/media/) → encrypted to the report's recipients → uploaded
 *   (./upload.ts) with a progress bar,
 *
 * so that pressing "send" has little left to do. A failed upload keeps the
 * file and offers "try again"; nothing typed in the form is touched. The
 * file's name and type go only into the encrypted report (`attachments` of
 * ReportContent), never into a request in the clear.
 *
 * For the voice recorder: `addAttachment(file, { kind: 'voice' })` puts a
 * recording into the same list; `removeAttachment(id)` takes it out again.
 */
import type { ChannelInfo } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import type { AttachmentMeta } from '../../common/report.ts';
import { ApiError } from '../lib/api.ts';
import { loadCrypto, uniqueKeys } from '../lib/crypto.ts';
import { classify, type MediaKind } from '../media/sniff.ts';
import { MediaFormatError, stripMetadata } from '../media/strip.ts';
import { i18n } from '../i18n/index.ts';
import { byId } from '../lib/dom.ts';
import { limitsHint, renderList, repeatRefusal, showRefusal, type ListView } from './attachment-list.ts';
import { reporterKey } from './reporter-key.ts';
import { chosenTeams, fetchChannel } from './submit.ts';
import { forgetTicket, sendUpload, uploadTicket, type Upload } from './upload.ts';

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
}

/** Why a file was not added: shown in the worker's language by attachment-list.ts. */
export type Refusal =
  | { reason: 'tooMany' | 'tooBig' | 'tooMuch' | 'unsupported' | 'damaged' | 'unreadable'; name: string; size?: number }
  | { reason: 'mislabelled'; name: string; kind: MediaKind | undefined };

/** Some attachment is not uploaded (the worker can retry or remove it). */
export class AttachmentsNotReadyError extends Error {
  override name = 'AttachmentsNotReadyError';
}

const items: AttachmentItem[] = [];
let slug = '';
let view: ListView | undefined;
let channel: Promise<ChannelInfo> | undefined;

const update = () => view && renderList(view, items, { remove: removeAttachment, retry: (id) => void retry(id) });

/** Connects the list to the page (#attach-input, #attach-hint, #attach-list, #attach-error); call once. */
export function mountAttachments(channelSlug: string): void {
  slug = channelSlug;
  view = { list: byId('attach-list'), error: byId('attach-error') };
  const input = byId<HTMLInputElement>('attach-input');
  const hint = byId('attach-hint');
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file can be chosen again after "remove"
    void (async () => {
      for (const file of files) await addAttachment(file);
    })();
  });
  const relabel = () => {
    hint.textContent = limitsHint();
    update();
    if (view) repeatRefusal(view);
  };
  i18n.onChange(relabel);
  relabel();
}

/** After the intake refused the uploads (expired or purged ticket): send every file again on the next try. */
export function resetUploads(): void {
  forgetTicket();
  for (const item of items) item.ticket = undefined;
}

function localId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function refuse(refusal: Refusal): undefined {
  if (view) showRefusal(view, refusal);
  return undefined;
}

/** Adds a file to the report. Resolves with its id in the list, or undefined if it was refused (the reason is shown). */
export async function addAttachment(file: File, opts: { kind?: 'voice' } = {}): Promise<string | undefined> {
  if (view) showRefusal(view, undefined);
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

export function removeAttachment(id: string): void {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) return;
  const [item] = items.splice(index, 1);
  item?.upload?.abort();
  item?.clean?.fill(0);
  update();
}

/** The keys of the chosen teams and the reporter key: exactly what the report is encrypted to. */
async function recipients(): Promise<string[]> {
  channel ??= fetchChannel(slug).catch((error: unknown) => {
    channel = undefined;
    throw error;
  });
  const [info, reporter] = await Promise.all([channel, reporterKey()]);
  return uniqueKeys([...chosenTeams(info).flatMap((team) => team.recipientKeys), reporter.publicKey]);
}

async function process(item: AttachmentItem): Promise<void> {
  try {
    if (!item.ciphertext) {
      item.state = 'encrypting';
      update();
      const crypto = await loadCrypto();
      item.ciphertext = await crypto.encryptPayload({ data: item.clean!, recipients: await recipients() });
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
}

async function retry(id: string): Promise<void> {
  const item = items.find((i) => i.id === id);
  if (item && item.state === 'failed') await process(item);
}

const busy = (item: AttachmentItem) => item.state === 'preparing' || item.state === 'encrypting' || item.state === 'uploading';

/**
 * Before the report is sent: waits for uploads under way, sends again what
 * failed or went under an older ticket, and returns what the intake and the
 * encrypted report need. Throws AttachmentsNotReadyError (or the network
 * error) if a file still could not be sent; the list then shows "try again".
 */
export async function prepareAttachments(): Promise<{ uploadTicket?: string; ids: string[]; metas: AttachmentMeta[] }> {
  if (items.length === 0) return { ids: [], metas: [] };
  while (items.some(busy)) await new Promise((resolve) => setTimeout(resolve, 200));
  const ticket = await uploadTicket();
  for (const item of items) {
    if (item.state === 'failed' || item.ticket !== ticket) {
      item.state = 'failed';
      await process(item);
    }
  }
  const failed = items.find((item) => item.state !== 'done' || item.ticket !== ticket);
  if (failed) throw failed.error instanceof ApiError ? failed.error : new AttachmentsNotReadyError('an attachment is not uploaded');
  return {
    uploadTicket: ticket,
    ids: items.map((item) => item.uploadId!),
    metas: items.map((item) => ({ id: item.uploadId!, name: item.name, type: item.type, size: item.size, kind: item.kind })),
  };
}

/** After the report was received: empty the list and wipe the cleaned files. */
export function clearAttachments(): void {
  for (const item of items.splice(0)) item.clean?.fill(0);
  forgetTicket();
  channel = undefined;
  if (view) showRefusal(view, undefined);
  update();
}
