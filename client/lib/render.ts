/**
 * Rendering shared by the status page and the team workspace: a message thread and label/value pairs.
 * Text someone typed gets `dir="auto"`, so Arabic or Hebrew runs right to left inside a left-to-right page.
 */
import { h } from './dom.ts';
import type { OpenedMessage } from './thread.ts';

export interface ThreadText {
  empty: string;
  unreadable: string;
  /** "You · 7 March 2025" */
  meta(message: OpenedMessage): string;
  /** Adds to a message's item what its kind needs (a label, buttons); optional. */
  decorate?(item: HTMLLIElement, message: OpenedMessage): void;
}

export function renderThread(list: HTMLElement, messages: readonly OpenedMessage[], text: ThreadText): void {
  if (messages.length === 0) return void list.replaceChildren(h('li', { class: 'muted', text: text.empty }));
  list.replaceChildren(
    ...messages.map((m) => {
      const item = h(
        'li',
        { class: `message from-${m.from}`, attrs: { 'data-message-id': m.id, 'data-kind': m.content?.kind ?? 'unreadable' } },
        h('p', { class: 'message-meta', text: text.meta(m) }),
        m.text === undefined ? h('p', { class: 'muted', text: text.unreadable }) : h('p', { class: 'message-text', text: m.text, attrs: { dir: 'auto' } }),
      );
      text.decorate?.(item, m);
      return item;
    }),
  );
}

/** Fills a <dl> with label/value pairs; an empty value shows `empty`. */
export function renderFields(list: HTMLElement, rows: ReadonlyArray<readonly [label: string, value: string]>, empty: string): void {
  list.replaceChildren(...rows.flatMap(([label, value]) => [h('dt', { text: label }), h('dd', { text: value || empty, attrs: { dir: 'auto' } })]));
}
