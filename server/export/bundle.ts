/**
 * The case bundle: everything the server holds about one case, as a ZIP that
 * can be archived or handed to a lawyer and read without Ombud. The server
 * stays blind: it packs the ciphertexts exactly as stored (binary OpenPGP,
 * `.gpg`), with a manifest of the workflow data it already knows and a
 * README on decrypting with GnuPG.
 */
import { createHash } from 'node:crypto';
import type { AttachmentInfo, CaseRecord, MessageRecord, NoteRecord, StageEntry, TeamCaseListing } from '../../db/index.ts';
import { feedbackByDay } from '../cases/deadlines.ts';
import { writeZip, type ZipEntry } from './zip.ts';

export const BUNDLE_FORMAT = 'ombud-case-bundle/1';

export interface BundleInput {
  listing: TeamCaseListing;
  record: CaseRecord;
  messages: readonly MessageRecord[];
  /** The team's internal notes (encrypted to the team only, never the reporter). */
  notes: readonly NoteRecord[];
  history: readonly StageEntry[];
  /** Each attachment with its ciphertext, in case order. */
  attachments: readonly { info: AttachmentInfo; body: Uint8Array }[];
  /** Who can decrypt: the investigators and recovery keys of the case's teams. */
  recipients: readonly { kind: 'investigator' | 'recovery'; team: string; name: string; fingerprint: string }[];
  /** Display names of investigators by id, for message authors. */
  authorName(investigatorId: string): string | null;
  exportedAt: Date;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const pad3 = (n: number) => String(n).padStart(3, '0');

export const README = `Ombud case bundle
=================

This folder holds one case exactly as the Ombud server stores it: every text
and file is an OpenPGP message (binary, ".gpg"), encrypted in a browser to the
keys listed in manifest.json under "recipients". The server never had the
keys to read them, and neither does this bundle.

Files
-----
  manifest.json            the case's workflow data (stages, days, deadlines),
                           the order and authors of the messages, the files,
                           and the SHA-256 of every .gpg file in this bundle
  report.gpg               the original report
  messages/NNN-FROM.gpg    the conversation, in order (FROM: reporter or team)
  notes/NNN.gpg            the team's internal notes, in order (the reporter
                           never saw these)
  attachments/ID.gpg       files sent with the report or with a message

Decrypting
----------
You need the private key of one recipient: an investigator's key (exported
from Ombud with its password) or the team's offline recovery key.

  gpg --import my-private-key.asc
  gpg --decrypt report.gpg > report.padded

Every plaintext is PADDED so that its size does not give its length away:

  bytes 0-3     the length N of the real content, a 32-bit big-endian number
  bytes 4..4+N  the content
  the rest      random filler up to a fixed bucket size; ignore it

The content of the report and of messages is a JSON document (UTF-8) with the
text and the answers to the form. The content of an attachment is the file
itself, byte for byte (as sent, after the worker's browser removed location
and other metadata); its name and type are not in it but in the JSON of the
report or message it came with, under "attachments", by the id that is also
the attachment's file name. To cut the padding off with standard tools:

  N=$(head -c 4 report.padded | od -An -tu1 | awk '{print $1*16777216+$2*65536+$3*256+$4}')
  tail -c +5 report.padded | head -c "$N" > report.json

For an attachment, the same three commands with other names: decrypt
attachments/ID.gpg to ID.padded, then cut ID.padded into the file.

Integrity
---------
Check the files against manifest.json ("sha256" of each file); this lists
every .gpg file in the bundle, however many messages, notes and attachments
the case has (none is fine):

  find . -name '*.gpg' -type f | sort | xargs sha256sum

Who can decrypt each message is also written in the message itself:
"gpg --list-packets FILE" shows the key ids it was encrypted to.
`;

export function buildCaseBundle(input: BundleInput): { zip: Uint8Array; files: number; manifest: Record<string, unknown> } {
  const { listing, record } = input;
  const entries: ZipEntry[] = [];
  const fileInfo = (name: string, data: Uint8Array) => {
    entries.push({ name, data });
    return { file: name, bytes: data.length, sha256: sha256(data) };
  };
  const report = fileInfo('report.gpg', record.report);
  const messages = input.messages.map((m, i) => ({
    order: i + 1,
    id: m.id,
    from: m.author,
    author: m.author === 'team' && m.investigatorId ? input.authorName(m.investigatorId) : null,
    day: m.day,
    ...fileInfo(`messages/${pad3(i + 1)}-${m.author}.gpg`, m.body),
  }));
  const notes = input.notes.map((n, i) => ({
    order: i + 1, id: n.id, author: n.byName, day: n.day, ...fileInfo(`notes/${pad3(i + 1)}.gpg`, n.body),
  }));
  const manifest = {
    format: BUNDLE_FORMAT,
    exportedAt: input.exportedAt.toISOString(),
    case: {
      id: listing.id,
      channel: { slug: listing.channelSlug, name: listing.channelName },
      stage: listing.stage,
      receivedDay: listing.receivedDay,
      acknowledgeByDay: listing.acknowledgeByDay,
      acknowledgedDay: listing.acknowledgedDay,
      feedbackByDay: feedbackByDay(listing),
      closedDay: listing.closedDay,
      lastActivityDay: listing.lastActivityDay,
      urgentDay: listing.urgentDay,
    },
    history: input.history.map((h) => ({
      stage: h.stage, day: h.day, reason: h.reason, by: h.byName ?? (h.stage === 'received' ? 'reporter' : 'system'),
    })),
    report,
    messages,
    notes,
    attachments: input.attachments.map(({ info, body }) => ({
      id: info.id,
      /** The message it came with (its id); null: sent with the report. */
      message: info.messageId,
      ...fileInfo(`attachments/${info.id}.gpg`, body),
    })),
    recipients: [
      ...input.recipients,
      { kind: 'reporter' as const, keyIds: record.reporterKeyIds, note: 'the reporter’s own key (report and messages; not notes)' },
    ],
    padding: 'plaintext = 4-byte big-endian length N, then N bytes of content, then filler; see README.txt',
  };
  const json = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  const zip = writeZip([
    { name: 'README.txt', data: new TextEncoder().encode(README) },
    { name: 'manifest.json', data: json },
    ...entries,
  ], input.exportedAt);
  return { zip, files: entries.length, manifest };
}
