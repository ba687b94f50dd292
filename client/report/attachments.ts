/**
 * "Photos and files" on the report form: the shared list of encrypted
 * uploads (client/media/attachment-box.ts), encrypted to the chosen teams
 * and the reporter key — exactly what the report is encrypted to.
 *
 * For the voice recorder: `addAttachment(file, { kind: 'voice' })` puts a
 * recording into the same list; `removeAttachment(id)` takes it out again.
 */
import type { ChannelInfo } from '../../common/api.ts';
import { uniqueKeys } from '../lib/crypto.ts';
import { byId } from '../lib/dom.ts';
import { createAttachmentBox, type AttachmentBox, type PreparedAttachments } from '../media/attachment-box.ts';
import { linkTrust, verifyTeams } from '../lib/pins.ts';
import { reporterKey } from './reporter-key.ts';
import { fetchChannel } from '../lib/report-sender.ts';
import { chosenTeams } from './send.ts';

export { AttachmentsNotReadyError, type AttachmentItem, type ItemState, type Refusal } from '../media/attachment-box.ts';

let slug = '';
let box: AttachmentBox | undefined;
let channel: Promise<ChannelInfo> | undefined;

/** The keys of the chosen teams and the reporter key. */
async function recipients(): Promise<string[]> {
  channel ??= fetchChannel(slug).catch((error: unknown) => {
    channel = undefined;
    throw error;
  });
  const [info, reporter] = await Promise.all([channel, reporterKey()]);
  // Files go only to keys certified by the recovery keys the link pins (./pins.ts); otherwise nothing is uploaded.
  const teams = await verifyTeams(chosenTeams(info), linkTrust());
  return uniqueKeys([...teams.flatMap((team) => team.recipientKeys), reporter.publicKey]);
}

/** Connects the list to the page (#attach-input, #attach-hint, #attach-list, #attach-error); call once. */
export function mountAttachments(channelSlug: string): void {
  slug = channelSlug;
  box = createAttachmentBox({
    view: { list: byId('attach-list'), error: byId('attach-error') },
    input: byId<HTMLInputElement>('attach-input'),
    hint: byId('attach-hint'),
    recipients,
    onClear: () => (channel = undefined),
  });
}

/** Adds a file to the report. Resolves with its id in the list, or undefined if it was refused (the reason is shown). */
export async function addAttachment(file: File, opts: { kind?: 'voice' } = {}): Promise<string | undefined> {
  return box?.add(file, opts);
}

export function removeAttachment(id: string): void {
  box?.remove(id);
}

/** The worker changed who receives the report (./teams.ts): every file is encrypted again for the new choice. */
export function teamsChanged(): void {
  box?.recipientsChanged();
}

/** After the intake refused the uploads (expired or purged ticket): send every file again on the next try. */
export function resetUploads(): void {
  box?.resetUploads();
}

/** Before the report is sent: see AttachmentBox.prepare. */
export async function prepareAttachments(): Promise<PreparedAttachments> {
  return box ? box.prepare() : { ids: [], metas: [] };
}

/** After the report was received: empty the list and wipe the cleaned files. */
export function clearAttachments(): void {
  box?.clear();
}
