/**
 * The attachments of a case in the investigator's view: name, type and size
 * from the decrypted report (or, for files a reporter sent with a message,
 * from that message); "Open" fetches the ciphertext
 * (GET /api/cases/:id/attachments/:attachmentId, audited), decrypts it here
 * with the keyring's key, and previews a picture, video or sound, or saves
 * any other file (client/media/attachment-open.ts). Nothing is decrypted on
 * the server.
 */
import type { CaseDetail } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { t } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import type { OpenedMessage } from '../lib/thread.ts';
import { attachmentEntry, fetchCiphertext, type AttachmentRow, type AttachmentSource, type OpenTexts } from '../media/attachment-open.ts';
import { attachmentMetas, formatBytes, joinAttachments } from '../media/attachment-view.ts';
import { withKey } from '../accounts/keyring.ts';
import { problem } from '../accounts/errors.ts';

let releases: Array<() => void> = [];

function source(caseId: string): AttachmentSource {
  return {
    fetch: (id) => fetchCiphertext(`/api/cases/${encodeURIComponent(caseId)}/attachments/${encodeURIComponent(id)}`),
    decrypt: (ciphertext) => withKey((key) => crypto.decryptPayload({ ciphertext, key })),
  };
}

const texts = (): OpenTexts => ({
  open: t('case.attachmentOpen'),
  opening: t('case.attachmentOpening'),
  save: t('case.attachmentSave'),
  problem: (error) => (error instanceof crypto.DecryptError ? t('case.attachmentUnreadable') : problem(error)),
});

const label = (row: AttachmentRow) =>
  row.meta ? `${row.meta.name} · ${row.meta.type} · ${formatBytes(row.meta.size)}` : `${t('case.attachmentUnnamed')} · ${formatBytes(row.size)}`;

/** Renders the report's files into a section placed after the report (created once). */
export function renderCaseAttachments(detail: CaseDetail, report: unknown): void {
  for (const release of releases) release();
  releases = [];
  let section = document.getElementById('case-attachments');
  if (!section) {
    section = h('section', { id: 'case-attachments', class: 'case-attachments' });
    document.getElementById('case-report')?.after(section);
  }
  const rows = joinAttachments(detail.attachments, attachmentMetas(report));
  section.hidden = rows.length === 0;
  if (rows.length === 0) return void section.replaceChildren();
  section.replaceChildren(
    h('h3', { text: t('case.attachments') }),
    h('ul', { class: 'attachment-files' }, ...rows.map((row) => attachmentEntry(row, label(row), source(detail.case.id), texts(), releases))),
  );
}

/** Under a reporter's message in the thread: the files sent with it (the server lists them; the message names them). */
export function messageAttachments(caseId: string, message: OpenedMessage): HTMLElement | undefined {
  const rows = joinAttachments(message.attachments, attachmentMetas(message.content));
  if (rows.length === 0) return undefined;
  return h('ul', { class: 'attachment-files message-files' }, ...rows.map((row) => attachmentEntry(row, label(row), source(caseId), texts(), releases)));
}
