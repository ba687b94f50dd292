/** Rendering shared by the status page and the team workspace: a message thread and label/value pairs. */
import { h } from './dom.ts';
import type { OpenedMessage } from './thread.ts';

export interface ThreadText {
  empty: string;
  unreadable: string;
  /** "You · 7 March 2025" */
  meta(message: OpenedMessage): string;
}

export function renderThread(list: HTMLElement, messages: readonly OpenedMessage[], text: ThreadText): void {
  if (messages.length === 0) return void list.replaceChildren(h('li', { class: 'muted', text: text.empty }));
  list.replaceChildren(
    ...messages.map((m) =>
      h(
        'li',
        { class: `message from-${m.from}` },
        h('p', { class: 'message-meta', text: text.meta(m) }),
        m.text === undefined ? h('p', { class: 'muted', text: text.unreadable }) : h('p', { class: 'message-text', text: m.text }),
      ),
    ),
  );
}

/** Fills a <dl> with label/value pairs; an empty value shows `empty`. */
export function renderFields(list: HTMLElement, rows: ReadonlyArray<readonly [label: string, value: string]>, empty: string): void {
  list.replaceChildren(...rows.flatMap(([label, value]) => [h('dt', { text: label }), h('dd', { text: value || empty })]));
}
