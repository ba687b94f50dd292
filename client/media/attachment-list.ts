/**
 * The list of chosen files under "Photos and files": name, size, what is
 * happening (cleaning, locking, sending with a progress bar), "remove", and
 * "try again" after a failure. Text only through textContent.
 */
import { LIMITS } from '../../common/limits.ts';
import { t } from '../i18n/index.ts';
import { h, show } from '../lib/dom.ts';
import { describeError } from '../lib/worker-errors.ts';
import type { AttachmentItem, Refusal } from './attachment-state.ts';

export interface ListView {
  list: HTMLElement;
  error: HTMLElement;
}

const MB = 1024 * 1024;

export function formatSize(bytes: number): string {
  if (bytes < MB) return t('attach.sizeKB', { size: Math.max(1, Math.round(bytes / 1024)) });
  return t('attach.sizeMB', { size: (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0) });
}

/** The limits, in the worker's words, for the hint above the button. */
export function limitsHint(): string {
  return t('attach.hint', {
    count: LIMITS.attachmentsPerReport,
    each: LIMITS.attachmentBytes / MB,
    total: LIMITS.attachmentsTotalBytes / MB,
  });
}

function stateText(item: AttachmentItem): string {
  switch (item.state) {
    case 'preparing': return t('attach.preparing');
    case 'encrypting': return t('attach.encrypting');
    case 'uploading': return t(item.waiting ? 'net.uploadWaiting' : 'attach.uploading', { percent: Math.round(item.progress * 100) });
    case 'done': return t('attach.done');
    case 'failed': return t('attach.failed', { reason: describeError(item.error) });
  }
}

export function renderList(view: ListView, items: readonly AttachmentItem[], actions: { remove(id: string): void; retry(id: string): void }): void {
  // While the report is being sent (setBusy on the form), new buttons start disabled too.
  const busy = view.list.closest('[aria-busy="true"]') !== null;
  view.list.replaceChildren(
    ...items.map((item) => {
      const bar = h('progress', { class: 'attach-progress', attrs: { max: '1', 'aria-hidden': 'true' } });
      if (item.state === 'encrypting' || item.state === 'uploading' || item.state === 'done') bar.value = item.progress;
      const remove = h('button', { class: 'btn small attach-remove', text: t('attach.remove'), attrs: { type: 'button' } });
      remove.setAttribute('aria-label', `${t('attach.remove')}: ${item.name}`);
      remove.addEventListener('click', () => actions.remove(item.id));
      remove.disabled = busy;
      const retry = item.state === 'failed' && h('button', { class: 'btn small attach-retry', text: t('attach.retry'), attrs: { type: 'button' } });
      if (retry) {
        retry.addEventListener('click', () => actions.retry(item.id));
        retry.disabled = busy;
      }
      return h(
        'li',
        { class: `attach-item ${item.state}`, attrs: { 'data-state': item.state } },
        h('span', { class: 'attach-icon', text: icon(item), attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'attach-name', text: item.kind === 'voice' ? t('attach.voice') : item.name }),
        h('span', { class: 'attach-size muted', text: formatSize(item.size) }),
        item.state !== 'failed' && item.state !== 'done' ? bar : null,
        h('span', { class: `attach-state${item.state === 'failed' ? ' error-text' : ''}`, text: stateText(item), attrs: { role: 'status' } }),
        h('span', { class: 'attach-actions' }, retry, remove),
      );
    }),
  );
  show(view.list, items.length > 0);
}

function icon(item: AttachmentItem): string {
  if (item.kind === 'voice' || item.type.startsWith('audio/')) return '🎤';
  if (item.type.startsWith('image/')) return '🖼️';
  if (item.type.startsWith('video/')) return '🎬';
  return '📄';
}

let lastRefusal: Refusal | undefined;

/** Shows why a file was not added (or hides the message with `undefined`). */
export function showRefusal(view: ListView, refusal: Refusal | undefined): void {
  lastRefusal = refusal;
  view.error.textContent = refusal ? refusalText(refusal) : '';
  show(view.error, refusal !== undefined);
}

/** Says the last refusal again, e.g. after a change of language. */
export function repeatRefusal(view: ListView): void {
  showRefusal(view, lastRefusal);
}

function refusalText(refusal: Refusal): string {
  const name = refusal.name;
  switch (refusal.reason) {
    case 'tooMany': return t('attach.tooMany', { name, count: LIMITS.attachmentsPerReport });
    case 'tooBig': return t('attach.tooBig', { name, size: formatSize(refusal.size ?? 0), max: LIMITS.attachmentBytes / MB });
    case 'tooMuch': return t('attach.tooMuch', { name, max: LIMITS.attachmentsTotalBytes / MB });
    case 'unsupported': return t('attach.unsupported', { name });
    case 'mislabelled': return t('attach.mislabelled', { name, kind: (refusal.kind ?? '?').toUpperCase() });
    case 'damaged': return t('attach.damaged', { name });
    case 'unreadable': return t('attach.unreadable', { name });
  }
}
