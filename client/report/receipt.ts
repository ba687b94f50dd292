/**
 * The receipt shown once after sending: the token, large and grouped, with
 * copy, save-as-file and print, the deadline for acknowledgement, and the way
 * to the status page. The token lives only in this closure and the DOM until
 * the worker presses "I have saved my number".
 */
import type { IntakeReceipt } from '../../common/api.ts';
import { formatDay, i18n, t, tr } from '../i18n/index.ts';
import { byId, focusOn, h, show } from '../lib/dom.ts';
import { copyText, downloadText, printPage } from '../lib/download.ts';

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
    tr(byId('receipt-check-hint'), 'receipt.checkHint', { url: statusUrl });
  };
  renderDates();
  i18n.onChange(renderDates);

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
  byId('receipt-done').onclick = () => {
    current = undefined;
    tokenEl.replaceChildren();
    show(section, false);
    const closed = byId('receipt-closed');
    show(closed);
    focusOn(closed);
  };

  show(section);
  focusOn(byId('receipt-heading'));
  window.scrollTo(0, 0);
}
