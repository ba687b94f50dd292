/**
 * The large "listen" control beside every block a worker reads. A page marks
 * a block declaratively — `data-listen="report.what report.whatHint"`, items
 * as common/listen.ts describes — and this module puts a button right after
 * it, keeps it hidden while the block is hidden or the language has no voice
 * for it (no control that pretends: docs/listening.md), and follows blocks
 * that pages add, remove or re-mark later (a MutationObserver).
 *
 * It stays small because every worker page loads it: the player, which
 * fetches the sounds, is imported only when a control is first pressed, so
 * nothing is downloaded for listening until the worker asks.
 */
import { LISTEN_VOICES, parseListen, type ListenItem } from '../../common/listen.ts';
import { i18n, t } from '../i18n/index.ts';
import { recordedMark } from './listen-mark.ts';

const buttons = new Map<HTMLElement, HTMLButtonElement>();

/** Whether the current language can say every item of this block. */
function voiced(block: HTMLElement): boolean {
  const spec = LISTEN_VOICES[i18n.lang()];
  if (!spec || block.dataset.listenUnavailable === i18n.lang()) return false;
  const items = parseListen(block.dataset.listen ?? '');
  return items.length > 0 && (spec.scope === 'all' || items.every((item) => item.kind === 'digits')) && items.every(sayable);
}

/** A value can be heard only if it is a day or a count: a name typed by an administrator cannot (docs/listening.md). */
const sayableValue = (value: unknown) => /^\d{4}-\d{2}-\d{2}$|^\d+$/.test(String(value));
function sayable(item: ListenItem): boolean {
  if (item.kind === 'text') return Object.values(item.vars).every(sayableValue);
  if (item.kind === 'digits') return true;
  const vars = document.getElementById(item.elementId)?.dataset.i18nVars;
  return vars === undefined || Object.values(JSON.parse(vars) as Record<string, unknown>).every(sayableValue);
}

const SVG = 'http://www.w3.org/2000/svg';

/** A loudspeaker drawn as SVG: an emoji would be a box on a phone (or a browser) without an emoji font. */
function speakerIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({
    class: 'btn-icon', 'aria-hidden': 'true', focusable: 'false', viewBox: '0 0 24 24', width: '22', height: '22',
    fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  })) svg.setAttribute(name, value);
  const shape = document.createElementNS(SVG, 'path');
  shape.setAttribute('d', 'M4 9.5h3.5L12 5.5v13l-4.5-4H4z M15.5 9a4 4 0 0 1 0 6 M18.5 6.5a7.5 7.5 0 0 1 0 11');
  svg.append(shape);
  return svg;
}

function makeButton(block: HTMLElement): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn listen-button';
  button.dataset.listenButton = '';
  button.setAttribute('aria-pressed', 'false');
  const label = document.createElement('span');
  label.className = 'listen-label';
  button.append(speakerIcon(), ' ', label);
  button.addEventListener('click', () => {
    void import('./listen-player.ts').then((player) => player.toggle(button, block));
  });
  return button;
}

function labelText(button: HTMLButtonElement): string {
  const playing = button.getAttribute('aria-pressed') === 'true';
  const failed = button.dataset.listenFailed === 'true';
  return t(failed ? 'listen.failed' : playing ? 'listen.stop' : 'listen.play');
}

function label(button: HTMLButtonElement): void {
  button.querySelector('.listen-label')!.textContent = labelText(button);
}

function refresh(): void {
  for (const [block, button] of buttons) {
    if (!block.isConnected || block.dataset.listen === undefined) {
      recordedMark(button)?.remove();
      button.remove();
      buttons.delete(block);
    }
  }
  for (const block of document.querySelectorAll<HTMLElement>('[data-listen]')) {
    let button = buttons.get(block);
    if (!button) {
      button = makeButton(block);
      buttons.set(block, button);
    }
    if (button.previousElementSibling !== block) block.after(button);
    const hidden = block.hidden || !voiced(block);
    if (button.hidden !== hidden) button.hidden = hidden;
    const mark = recordedMark(button);
    if (mark && mark.hidden !== hidden) mark.hidden = hidden;
    if (button.querySelector('.listen-label')!.textContent !== labelText(button)) label(button);
  }
}

let queued = false;
function schedule(): void {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    refresh();
  });
}

/** Adds the controls to this page and keeps them in step with it; call once from the page's main. */
export function installListen(): void {
  // A build made where espeak-ng or opusenc is missing recorded nothing and says so in each page.
  if (document.querySelector('meta[name="ombud-listen"][content="off"]')) return;
  refresh();
  new MutationObserver(schedule).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    // aria-pressed and data-listen-failed: the player starts, stops or fails, and the label follows.
    attributeFilter: ['data-listen', 'data-i18n-vars', 'hidden', 'data-listen-unavailable', 'aria-pressed', 'data-listen-failed'],
  });
  i18n.onChange(() => {
    void import('./listen-player.ts').then((player) => player.stop());
    refresh();
  });
}
