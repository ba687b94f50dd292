/**
 * The receipt shown once after sending: the token, large and in groups of
 * four, with copy, save-as-file and print, the deadline for acknowledgement,
 * and the way to the status page (a link). The token lives only in this
 * closure and the DOM until the worker has typed its last group back from
 * what they wrote down ("check what you wrote"): a wrong group says so
 * plainly, and until it matches, leaving the page asks first (beforeunload).
 *
 * Nothing the worker saves or prints names what it is: the file's name is a
 * neutral word (`receipt.fileName`, e.g. "note.txt") and its text holds the
 * number, the address and the date only; in print, only the number, the
 * date and the address appear (styles.css `no-print`), the page margins
 * that carry the browser's title and URL lines are removed, and the title
 * (a saved PDF's default name) is the neutral word while printing. A
 * notebook, a phone's downloads or a printout found by a supervisor says
 * nothing about a report.
 */
import type { IntakeReceipt } from '../../common/api.ts';
import { formatDay, i18n, t, tr } from '../i18n/index.ts';
import { byId, focusOn, h, show } from '../lib/dom.ts';
import { copyText, downloadText, printPage } from '../lib/download.ts';
import { decimalValue } from '../../crypto/token.ts';

/** The last group of a grouped token ("… 1234 5678" → "5678"). */
export function lastGroup(formatted: string): string {
  return formatted.trim().split(/\s+/).at(-1) ?? '';
}

/** What the worker typed back, read the way the status page reads a token: digits of any script, spaces ignored. */
export function typedDigits(input: string): string {
  let digits = '';
  for (const ch of input.normalize('NFKC')) {
    if (/[\s\-.·_]/u.test(ch)) continue;
    const value = decimalValue(ch);
    digits += value === undefined ? ch : String(value);
  }
  return digits;
}

/** "Come back…: open {url} and …" with the address as a link to the status page. */
function checkHint(el: HTMLElement, url: string): void {
  const MARK = '\u0000';
  const [before = '', after = ''] = t('receipt.checkHint', { url: MARK }).split(MARK);
  el.replaceChildren(before, h('a', { id: 'receipt-status-address', text: url, attrs: { href: '/status', dir: 'ltr' } }), after);
}

function neutralTitle(): string {
  return t('receipt.fileName').replace(/\.[a-z]+$/, '');
}

export function showReceipt(formatted: string, receipt: IntakeReceipt): void {
  const section = byId('receipt');
  const tokenEl = byId('receipt-token');
  const statusUrl = `${location.origin}/status`;
  let current: string | undefined = formatted;

  tokenEl.replaceChildren(...formatted.split(' ').map((group) => h('span', { class: 'group', text: group })));

  const renderDates = () => {
    tr(byId('receipt-received'), 'receipt.received', { date: formatDay(receipt.receivedDay) });
    tr(byId('receipt-ack'), 'receipt.ackBy', { date: formatDay(receipt.acknowledgeByDay) });
    // Heard from recorded pieces (client/lib/listen.ts): the day itself, not its formatted text.
    byId('receipt-received').dataset.listen = `receipt.received|date=${receipt.receivedDay}`;
    byId('receipt-ack').dataset.listen = `receipt.ackBy|date=${receipt.acknowledgeByDay}`;
    checkHint(byId('receipt-check-hint'), statusUrl);
  };
  renderDates();
  i18n.onChange(renderDates);

  // Until the number is confirmed, closing or leaving the page asks first.
  const warn = (event: BeforeUnloadEvent) => {
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', warn);

  // While printing (and as a saved PDF's default name), the page's title is the neutral word.
  let title = document.title;
  const beforePrint = () => {
    title = document.title;
    document.title = neutralTitle();
  };
  const afterPrint = () => {
    document.title = title;
  };
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);

  const copyStatus = byId('receipt-copy-status');
  byId('receipt-copy').onclick = async () => {
    if (!current) return;
    const ok = await copyText(current);
    tr(copyStatus, ok ? 'receipt.copied' : 'receipt.copyFailed');
    if (!ok) window.getSelection()?.selectAllChildren(tokenEl);
  };
  byId('receipt-save').onclick = () => {
    if (!current) return;
    const text = t('receipt.fileText', {
      token: current,
      received: formatDay(receipt.receivedDay),
      ackBy: formatDay(receipt.acknowledgeByDay),
      url: statusUrl,
    });
    downloadText(t('receipt.fileName'), text);
  };
  byId('receipt-print').onclick = printPage;

  const confirmInput = byId<HTMLInputElement>('receipt-confirm-input');
  const confirmError = byId('receipt-confirm-error');
  confirmInput.value = '';
  show(confirmError, false);
  confirmInput.addEventListener('input', () => show(confirmError, false));
  byId('receipt-done').onclick = () => {
    if (!current) return;
    const typed = typedDigits(confirmInput.value);
    if (typed !== lastGroup(current)) {
      tr(confirmError, typed === '' ? 'receipt.confirmEmpty' : 'receipt.confirmWrong', { typed: confirmInput.value.trim() });
      show(confirmError);
      focusOn(confirmInput);
      return;
    }
    current = undefined;
    window.removeEventListener('beforeunload', warn);
    window.removeEventListener('beforeprint', beforePrint);
    window.removeEventListener('afterprint', afterPrint);
    tokenEl.replaceChildren();
    confirmInput.value = '';
    show(section, false);
    const closed = byId('receipt-closed');
    show(closed);
    focusOn(closed);
  };

  show(section);
  focusOn(byId('receipt-heading'));
  window.scrollTo(0, 0);
}
