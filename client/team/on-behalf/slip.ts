/**
 * The token of a report entered on a worker's behalf: shown large and in
 * groups, with a small slip to print in the worker's language (token, status
 * page address, acknowledgement date). It lives only in these elements and is
 * removed when the investigator is done, leaves, or is signed out.
 *
 * Test hooks (ids): #ob-result, #ob-token (groups in span.group), #ob-dates,
 * #ob-unrecorded, #ob-print, #ob-done, #ob-slip (#ob-slip-token, lang attribute).
 */
import type { IntakeReceipt } from '../../../common/api.ts';
import { formatDay, tr } from '../../i18n/team.ts';
import { byId, focusOn, h, show } from '../../lib/dom.ts';
import { slipTexts, type WorkerLanguage } from '../../lib/slip-texts.ts';

function groups(formatted: string): HTMLElement[] {
  return formatted.split(/[\s-]+/).filter(Boolean).map((g) => h('span', { class: 'group', text: g }));
}

export async function showSlip(formatted: string, receipt: IntakeReceipt, lang: WorkerLanguage, recorded: boolean): Promise<void> {
  const url = `${location.origin}/status`;
  byId('ob-token').replaceChildren(...groups(formatted));
  tr(byId('ob-dates'), 'onBehalf.dates', { received: formatDay(receipt.receivedDay), ackBy: formatDay(receipt.acknowledgeByDay), url });
  show(byId('ob-unrecorded'), !recorded);

  const texts = await slipTexts(lang, { received: receipt.receivedDay, ackBy: receipt.acknowledgeByDay, url });
  const slip = byId('ob-slip');
  slip.lang = lang;
  slip.replaceChildren(
    h('h2', { text: texts.heading }),
    h('p', { class: 'slip-label', text: texts.tokenLabel }),
    h('p', { id: 'ob-slip-token', class: 'token' }, ...groups(formatted)),
    h('p', { text: texts.received }),
    h('p', { text: texts.ackBy }),
    h('p', { text: texts.checkHint }),
    h('p', { class: 'slip-warning', text: texts.secret }),
    h('p', { class: 'slip-warning', text: texts.noRecovery }),
  );
  show(byId('ob-result'));
  focusOn(byId('ob-result-heading'));
}

export function clearSlip(): void {
  byId('ob-token').replaceChildren();
  byId('ob-slip').replaceChildren();
  byId('ob-dates').textContent = '';
  show(byId('ob-result'), false);
}

/** Prints the slip alone (./on-behalf.css hides everything else while html.printing-slip is set). */
export function mountSlipPrint(): void {
  byId('ob-print').addEventListener('click', () => {
    document.documentElement.classList.add('printing-slip');
    window.print();
  });
  window.addEventListener('afterprint', () => document.documentElement.classList.remove('printing-slip'));
}
