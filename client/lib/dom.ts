/**
 * DOM helpers. Text only ever goes in through `textContent` (never innerHTML),
 * so decrypted reports and messages cannot inject markup or script.
 */
type Child = Node | string | null | undefined | false;

export interface Props {
  id?: string;
  class?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/** Creates an element: `h('p', { class: 'hint', text: 'Hello' }, child…)`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.id) el.id = props.id;
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  for (const child of children) if (child) el.append(child);
  return el;
}

/** The element with this id; a missing element is a bug in the page, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

export function show(el: HTMLElement, visible = true): void {
  el.hidden = !visible;
}

/** Disables every control in a container while work is under way. */
export function setBusy(container: HTMLElement, busy: boolean): void {
  container.setAttribute('aria-busy', String(busy));
  for (const el of container.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
    'button, input, textarea, select',
  )) {
    el.disabled = busy;
  }
}

/** Moves focus to an element that is not normally focusable (a heading, a message). */
export function focusOn(el: HTMLElement): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}

/** Today's day as the server writes it (UTC, 'YYYY-MM-DD'). */
export function todayDay(): string {
  return new Date().toISOString().slice(0, 10);
}
