/**
 * Row lists of the channel form (./channels-form.ts): an ordered list of
 * tick boxes with "move up" buttons (the workers' languages, the teams
 * offered — the order is the form's and the posters'), and the list of
 * local places to report with "add" and "remove".
 */
import type { AdminChannel } from '../../common/api.ts';
import { CHANNEL_LIMITS } from '../../common/limits.ts';
import { t } from '../i18n/team.ts';
import { h, show } from '../lib/dom.ts';

type Child = Node | string | null | undefined | false;

export interface MovableRow {
  key: string;
  ticked: boolean;
  label: string;
  /** The id of the row's tick box. */
  checkId: string;
  /** More controls under the row (shown while it is ticked). */
  extra: Child[];
}

export function movable(id: string, rows: MovableRow[]): { list: HTMLElement } {
  const list = h('ol', { id, class: 'plain-list movable' });
  for (const row of rows) {
    const check = h('input', { id: row.checkId, class: 'row-check', attrs: { type: 'checkbox' } });
    check.checked = row.ticked;
    const up = h('button', { class: 'btn small row-up', text: '↑', attrs: { type: 'button', 'aria-label': t('channels.moveUp', { name: row.label }) } });
    const more = h('div', { class: 'row-extra' }, ...row.extra);
    const item = h('li', { class: 'movable-row', attrs: { 'data-key': row.key } },
      h('div', { class: 'row-head' }, h('label', { class: 'check' }, check, h('span', { text: row.label, attrs: { dir: 'auto' } })), up),
      row.extra.some(Boolean) ? more : null);
    const sync = () => show(more, check.checked);
    check.addEventListener('change', sync);
    sync();
    up.addEventListener('click', () => {
      const previous = item.previousElementSibling;
      if (previous) list.insertBefore(item, previous);
      up.focus();
    });
    list.append(item);
  }
  return { list };
}

/** The keys of the ticked rows, in the order shown. */
export function orderedTicked(list: HTMLElement): string[] {
  return [...list.querySelectorAll<HTMLElement>(':scope > li')]
    .filter((li) => li.querySelector<HTMLInputElement>('.row-check')?.checked)
    .map((li) => li.dataset.key!);
}

export function contactRows(initial: AdminChannel['contacts']): { element: HTMLElement; read(): AdminChannel['contacts'] } {
  const list = h('ul', { id: 'channel-contacts', class: 'plain-list contacts' });
  const add = h('button', { id: 'channel-add-contact', class: 'btn small', text: t('channels.addContact'), attrs: { type: 'button' } });
  let n = 0;
  const input = (cls: string, label: string, value: string, max: number) => {
    n += 1;
    const el = h('input', { id: `contact-${n}`, class: cls, attrs: { type: 'text', maxlength: String(max), autocomplete: 'off', dir: 'auto' } });
    el.value = value;
    return h('div', { class: 'field' }, h('label', { text: label, attrs: { for: el.id } }), el);
  };
  const addRow = (contact: AdminChannel['contacts'][number]) => {
    const remove = h('button', { class: 'btn small', text: t('channels.removeContact'), attrs: { type: 'button' } });
    const row = h('li', { class: 'contact-row' },
      input('contact-name', t('channels.contactName'), contact.name, CHANNEL_LIMITS.contactNameChars),
      input('contact-reach', t('channels.contactReach'), contact.reach, CHANNEL_LIMITS.contactReachChars),
      input('contact-note', t('channels.contactNote'), contact.note, CHANNEL_LIMITS.contactNoteChars),
      remove);
    remove.addEventListener('click', () => {
      row.remove();
      show(add, list.childElementCount < CHANNEL_LIMITS.contacts);
    });
    list.append(row);
    show(add, list.childElementCount < CHANNEL_LIMITS.contacts);
  };
  initial.forEach(addRow);
  add.addEventListener('click', () => {
    addRow({ name: '', reach: '', note: '' });
    list.querySelector<HTMLInputElement>('li:last-child .contact-name')?.focus();
  });
  show(add, list.childElementCount < CHANNEL_LIMITS.contacts);
  const value = (row: Element, cls: string) => row.querySelector<HTMLInputElement>(`.${cls}`)?.value.trim() ?? '';
  return {
    element: h('div', {}, list, add),
    // A row left empty is not a place; a half-filled one goes to the server, which says what is missing.
    read: () => [...list.children]
      .map((row) => ({ name: value(row, 'contact-name'), reach: value(row, 'contact-reach'), note: value(row, 'contact-note') }))
      .filter((c) => c.name || c.reach || c.note),
  };
}
