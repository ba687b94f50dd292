/**
 * The attachments of a case in the investigator's view: name, type and size
 * from the decrypted report; "Open" fetches the ciphertext
 * (GET /api/cases/:id/attachments/:attachmentId, audited), decrypts it here
 * with the keyring's key, and previews a picture, video or sound, or saves
 * any other file. Nothing is decrypted on the server.
 */
import type { CaseDetail } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { t } from '../i18n/team.ts';
import { ApiError } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { attachmentMetas, formatBytes, joinAttachments, previewElement, saveBytes } from '../media/attachment-view.ts';
import { withKey } from './keyring.ts';
import { problem } from './errors.ts';

let releases: Array<() => void> = [];

async function fetchCiphertext(path: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer' });
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiError(response.status, body.error ?? `http_${response.status}`, body.message ?? response.statusText);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Renders the list into a section placed after the report (created once). */
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
    h(
      'ul',
      { class: 'attachment-files' },
      ...rows.map((row) => {
        const status = h('p', { class: 'muted', attrs: { role: 'status' } });
        const preview = h('div', { class: 'attachment-preview' });
        const open = h('button', { class: 'btn', text: t('case.attachmentOpen'), attrs: { type: 'button', 'data-attachment-id': row.id } });
        open.addEventListener('click', () => void openAttachment(detail.case.id, row, { open, status, preview }));
        const label = row.meta ? `${row.meta.name} · ${row.meta.type} · ${formatBytes(row.meta.size)}` : `${t('case.attachmentUnnamed')} · ${formatBytes(row.size)}`;
        return h('li', { attrs: { 'data-attachment-id': row.id } }, h('span', { class: 'attachment-name', text: label }), ' ', open, status, preview);
      }),
    ),
  );
}

async function openAttachment(
  caseId: string,
  row: ReturnType<typeof joinAttachments>[number],
  ui: { open: HTMLButtonElement; status: HTMLElement; preview: HTMLElement },
): Promise<void> {
  ui.open.disabled = true;
  ui.status.textContent = t('case.attachmentOpening');
  try {
    const ciphertext = await fetchCiphertext(`/api/cases/${encodeURIComponent(caseId)}/attachments/${encodeURIComponent(row.id)}`);
    const plain = await withKey((key) => crypto.decryptPayload({ ciphertext, key }));
    const shown = previewElement(plain, row.meta);
    if (shown) {
      releases.push(shown.release);
      ui.preview.replaceChildren(shown.element);
    }
    const save = h('button', { class: 'btn', text: t('case.attachmentSave'), attrs: { type: 'button' } });
    save.addEventListener('click', () => saveBytes(plain, row.meta?.name ?? `attachment-${row.id}`));
    ui.preview.append(save);
    ui.status.textContent = '';
    ui.open.hidden = true;
  } catch (error) {
    ui.status.textContent = error instanceof crypto.DecryptError ? t('case.attachmentUnreadable') : problem(error);
    ui.open.disabled = false;
  }
}
