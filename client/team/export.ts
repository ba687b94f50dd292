/**
 * The "Export" section of a case: the case bundle (a ZIP of the ciphertexts
 * with a manifest and a README, straight from the server: nothing is
 * decrypted for it) and a printable summary of what this browser has already
 * decrypted — report, thread, deadlines, history — laid out for A4 by
 * ./print.css. Nothing decrypted ever leaves the browser except on paper.
 *
 * Test hooks (ids): #case-export, #case-export-bundle (a[download]),
 * #case-export-print, #case-print-header.
 */
import type { CaseDetail } from '../../common/api.ts';
import { formatDay, t, tr } from '../i18n/team.ts';
import { byId, h, todayDay } from '../lib/dom.ts';
import { printPage } from '../lib/download.ts';
import { session } from '../accounts/keyring.ts';
import { shortId, stageLabel } from './stages.ts';

let current: CaseDetail | undefined;

function ensureSection(): void {
  if (document.getElementById('case-export')) return;
  const view = byId('case-view');
  const bundle = h('a', { id: 'case-export-bundle', class: 'btn', text: t('caseExport.bundle') });
  const print = h('button', { id: 'case-export-print', class: 'btn', text: t('caseExport.print'), attrs: { type: 'button' } });
  print.addEventListener('click', () => {
    fillPrintHeader();
    printPage();
  });
  view.append(
    h(
      'section',
      { id: 'case-export', class: 'case-export no-print', attrs: { 'aria-labelledby': 'case-export-heading' } },
      h('h2', { id: 'case-export-heading', text: t('caseExport.heading') }),
      h('p', { class: 'hint', text: t('caseExport.bundleHint') }),
      h('p', { class: 'hint', text: t('caseExport.printHint') }),
      h('div', { class: 'button-row' }, bundle, print),
    ),
  );
  view.prepend(h('header', { id: 'case-print-header', class: 'print-only' }));
}

function fillPrintHeader(): void {
  if (!current) return;
  const c = current.case;
  byId('case-print-header').replaceChildren(
    h('p', { class: 'print-confidential', text: t('caseExport.confidential') }),
    h('p', {
      text: t('caseExport.printedBy', {
        id: shortId(c.id),
        stage: stageLabel(c.stage),
        date: formatDay(todayDay()),
        name: session()?.investigator.displayName ?? '',
      }),
    }),
  );
}

/** Called by the case view once a case is shown. */
export function mountCaseExport(detail: CaseDetail): void {
  ensureSection();
  current = detail;
  const link = byId<HTMLAnchorElement>('case-export-bundle');
  link.href = `/api/cases/${encodeURIComponent(detail.case.id)}/export`;
  link.download = `ombud-case-${shortId(detail.case.id)}.zip`;
  tr(byId('case-export-heading'), 'caseExport.heading');
  fillPrintHeader();
}
