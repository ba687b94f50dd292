/**
 * Statistics for the team and the yearly effectiveness review (UNGP 31,
 * LkSG §8), at #/stats. Computed in this browser (./compute.ts) from the
 * workflow data of GET /api/cases and what it decrypts of each case of the
 * chosen year (GET /api/cases/:id: the category from the report, satisfaction
 * answers from the thread). Opening a case for this is recorded in the audit
 * trail like any other opening. Decrypted results are kept in memory for the
 * session (until the keyring locks), in batches with a progress line.
 *
 * Test hooks (ids): #stats-link, #stats-view, #stats-heading, #stats-year, #stats-print, #stats-status,
 * #stats-total, #stats-body with figure[data-chart=month|category|channel|stage|satisfaction]
 * (bars: g.bar[data-key][data-count]) and #stats-ack / #stats-feedback.
 */
import type { CaseDetail, CaseList, CaseSummary } from '../../../common/api.ts';
import { STAGES, type Stage } from '../../../common/limits.ts';
import { t, teamI18n, tr } from '../../i18n/team.ts';
import { loadCrypto } from '../../lib/crypto.ts';
import { byId, h, todayDay } from '../../lib/dom.ts';
import { openReport, openThread } from '../../lib/thread.ts';
import { categoryChoices } from '../category-label.ts';
import { teamGet } from '../../accounts/api.ts';
import { problem } from '../../accounts/errors.ts';
import { withKey } from '../../accounts/keyring.ts';
import { stageLabel } from '../stages.ts';
import { barChart } from './chart.ts';
import { computeStats, yearsOf, type DeadlineStats, type Decrypted, type Stats } from './compute.ts';

const BATCH = 4;
/** Keyed by case id, version and last activity: a new message or change is decrypted again. */
const cache = new Map<string, Decrypted>();
let cases: CaseSummary[] = [];
let year = Number(todayDay().slice(0, 4));
let run = 0;

const cacheKey = (c: CaseSummary) => `${c.id}:${c.version}:${c.lastActivityDay}`;

async function decryptCase(c: CaseSummary): Promise<Decrypted> {
  const crypto = await loadCrypto();
  const detail = await teamGet<CaseDetail>(`/api/cases/${encodeURIComponent(c.id)}`);
  const [report, messages] = await withKey((key) => Promise.all([openReport(crypto, key, detail.report), openThread(crypto, key, detail.messages)]));
  const satisfaction = messages.flatMap((m) => (m.from === 'reporter' && m.content?.kind === 'satisfaction' ? [m.content.level] : []));
  return { category: report?.category ?? null, satisfaction };
}

async function decryptYear(status: HTMLElement, current: number): Promise<Map<string, Decrypted>> {
  const wanted = cases.filter((c) => c.receivedDay.startsWith(`${year}-`));
  const todo = wanted.filter((c) => !cache.has(cacheKey(c)));
  for (let i = 0; i < todo.length && current === run; i += BATCH) {
    tr(status, 'stats.progress', { done: i, total: todo.length });
    const batch = todo.slice(i, i + BATCH);
    const results = await Promise.all(batch.map((c) => decryptCase(c).catch(() => ({ category: null, satisfaction: [] }))));
    batch.forEach((c, j) => cache.set(cacheKey(c), results[j]!));
  }
  return new Map(wanted.map((c) => [c.id, cache.get(cacheKey(c)) ?? { category: null, satisfaction: [] }]));
}

function deadlineFigure(id: string, title: string, stats: DeadlineStats): HTMLElement {
  const median = stats.medianDays === null ? t('stats.none') : String(stats.medianDays);
  const share = stats.shareMet === null ? t('stats.none') : t('stats.share', { met: stats.met, due: stats.due, percent: Math.round(stats.shareMet * 100) });
  return h('div', { id }, h('dt', { text: title }), h('dd', { text: t('stats.median', { median }) }), h('dd', { text: t('stats.met', { share }) }));
}

function render(stats: Stats): void {
  const categories = new Map(categoryChoices().map((c) => [c.key, c.label]));
  const month = (key: string) => new Intl.DateTimeFormat(teamI18n.lang(), { month: 'short', timeZone: 'UTC' }).format(new Date(`${key}-01T00:00:00Z`));
  const none = t('stats.noData');
  byId('stats-body').replaceChildren(
    h('p', { id: 'stats-total', class: 'lead', text: t('stats.total', { count: stats.total, year: stats.year }) }),
    h('dl', { class: 'stats-figures' },
      deadlineFigure('stats-ack', t('stats.ack'), stats.acknowledge),
      deadlineFigure('stats-feedback', t('stats.feedback'), stats.feedback)),
    h('div', { class: 'stats-grid' },
      barChart('month', t('stats.perMonth'), stats.perMonth.map((m) => ({ key: m.key, label: month(m.key), count: m.count })), none),
      barChart('category', t('stats.perCategory'), stats.perCategory.map((c) => ({ key: c.key, label: categories.get(c.key) ?? t('stats.unknownCategory'), count: c.count })), none),
      barChart('channel', t('stats.perChannel'), stats.perChannel.map((c) => ({ key: c.key, label: c.key, count: c.count })), none),
      barChart('stage', t('stats.perStage'), stats.perStage.map((s) => ({ key: s.key, label: stageLabel(s.key as Stage), count: s.count })), none),
      barChart('satisfaction', t('stats.satisfaction'), stats.satisfaction.map((s) => ({ key: s.key, label: t('stats.level', { level: s.key }), count: s.count })), none)),
  );
}

async function draw(): Promise<void> {
  const current = ++run;
  const status = byId('stats-status');
  try {
    const decrypted = await decryptYear(status, current);
    if (current !== run) return;
    render(computeStats(cases, decrypted, year, todayDay(), STAGES));
    tr(status, 'stats.basis', { count: decrypted.size });
  } catch (error) {
    status.textContent = problem(error);
  }
}

export async function showStats(): Promise<void> {
  const status = byId('stats-status');
  tr(status, 'stats.loading');
  byId('stats-body').replaceChildren();
  try {
    ({ cases } = await teamGet<CaseList>('/api/cases'));
  } catch (error) {
    status.textContent = problem(error);
    return;
  }
  const select = byId<HTMLSelectElement>('stats-year');
  const years = yearsOf(cases, todayDay());
  if (!years.includes(year)) year = years[0]!;
  select.replaceChildren(...years.map((y) => h('option', { text: String(y), attrs: { value: String(y) } })));
  select.value = String(year);
  await draw();
}

export function mountStats(): void {
  byId<HTMLSelectElement>('stats-year').addEventListener('change', (event) => {
    year = Number((event.target as HTMLSelectElement).value);
    void draw();
  });
  byId('stats-print').addEventListener('click', () => window.print());
  byId('stats-link').addEventListener('click', () => {
    byId<HTMLDetailsElement>('account-menu').open = false;
  });
}

/** On sign-out: forget everything decrypted. */
export function clearStats(): void {
  run += 1;
  cache.clear();
  cases = [];
  byId('stats-body').replaceChildren();
}
