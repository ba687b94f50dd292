/**
 * The poster page (/poster#/<slug>[/poster|cards][/langs], see ./links.ts):
 * an A4 poster or a sheet of wallet cards per language of a channel, built
 * from GET /api/posters/:slug for a signed-in deployment administrator
 * (the session cookie of the team workspace), printed with the browser.
 *
 * Test hooks: #poster-toolbar, #poster-status, #poster-sheets (section.sheet
 * per language, [data-lang]), svg.link-qr[data-link], #poster-print,
 * #poster-kind-poster, #poster-kind-cards, input[name=poster-lang].
 */
import { WORKER_LANGUAGES } from '../../../common/limits.ts';
import type { PosterData } from '../../../common/poster.ts';
import { t } from '../../i18n/team.ts';
import { ApiError, getJson } from '../../lib/api.ts';
import { byId, h, show } from '../../lib/dom.ts';
import { buildCardSheet } from './cards.ts';
import { isPosterLanguage, POSTER_TEXTS, type PosterTexts } from './i18n/index.ts';
import { posterHref, readPosterRoute, type PosterRoute } from './links.ts';
import { buildPoster } from './poster.ts';

const statusLine = byId('poster-status');
const sheets = byId('poster-sheets');
const toolbar = byId('poster-toolbar');
let cached: PosterData | undefined;

function say(text: string, isError = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', isError);
  show(statusLine, text !== '');
}

function failure(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t('poster.signIn');
    if (error.code === 'deployment_admin_only' || error.code === 'admin_only') return t('poster.forbidden');
    if (error.code === 'channel_not_found') return t('poster.notFound');
    return t('poster.failed', { reason: error.message });
  }
  return t('poster.failed', { reason: String(error) });
}

function languagesOf(route: PosterRoute, data: PosterData): string[] {
  const wanted = (route.languages ?? data.languages).filter(isPosterLanguage);
  return [...new Set(wanted)];
}

function renderToolbar(route: PosterRoute, data: PosterData, chosen: string[], names: Map<string, string>): void {
  const kindLink = (kind: 'poster' | 'cards', key: 'poster.kindPoster' | 'poster.kindCards') =>
    h('a', {
      id: `poster-kind-${kind}`, class: `btn${route.kind === kind ? ' primary' : ''}`, text: t(key),
      attrs: { href: posterHref(data.slug, kind, route.languages), ...(route.kind === kind ? { 'aria-current': 'page' } : {}) },
    });
  const boxes = WORKER_LANGUAGES.map((lang) => {
    const input = h('input', { attrs: { type: 'checkbox', name: 'poster-lang', value: lang } });
    input.checked = chosen.includes(lang);
    input.onchange = () => {
      const picked = [...toolbar.querySelectorAll<HTMLInputElement>('input[name=poster-lang]')].filter((box) => box.checked).map((box) => box.value);
      // Keep the order already chosen; new languages go last.
      const ordered = [...chosen.filter((l) => picked.includes(l)), ...picked.filter((l) => !chosen.includes(l))];
      location.hash = posterHref(data.slug, route.kind, ordered.length ? ordered : ['en']).slice('/poster'.length);
    };
    return h('label', { class: 'check', attrs: { lang } }, input, h('span', { text: names.get(lang) ?? lang }));
  });
  const print = h('button', { id: 'poster-print', class: 'btn primary', text: t('poster.print'), attrs: { type: 'button' } });
  print.onclick = () => window.print();
  toolbar.replaceChildren(
    h('p', { class: 'no-print' }, h('a', { text: t('poster.back'), attrs: { href: '/team#/' } })),
    h('h1', { text: t('poster.heading', { channel: data.name }) }),
    h('div', { class: 'button-row' }, kindLink('poster', 'poster.kindPoster'), kindLink('cards', 'poster.kindCards'), print),
    h('fieldset', { class: 'poster-langs' }, h('legend', { text: t('poster.languages') }), ...boxes),
    h('p', { class: 'muted', text: route.kind === 'cards' ? t('poster.cardsHint') : t('poster.printHint') }),
  );
}

/** Steps of type scale in poster.css (.fit-1 … .fit-6). */
const FIT_STEPS = 6;

/**
 * Lowers a sheet's type a step at a time until a poster fits its page, or
 * every card its 54 mm; says so (data-overflow) if even the smallest does not.
 */
function fitSheet(sheet: HTMLElement): void {
  const boxes = sheet.classList.contains('cards') ? [...sheet.querySelectorAll<HTMLElement>('.card')] : [sheet];
  const overflows = () => boxes.some((box) => box.scrollHeight > box.clientHeight + 1);
  for (let step = 1; step <= FIT_STEPS && overflows(); step += 1) {
    sheet.classList.remove(`fit-${step - 1}`);
    sheet.classList.add(`fit-${step}`);
  }
  sheet.dataset.overflow = String(overflows());
}

async function render(): Promise<void> {
  const route = readPosterRoute(location.hash);
  document.title = t('poster.title');
  if (!route) {
    sheets.replaceChildren();
    say(t('poster.noSlug'), true);
    return;
  }
  say(t('poster.loading'));
  try {
    if (!cached || cached.slug !== route.slug) cached = await getJson<PosterData>(`/api/posters/${encodeURIComponent(route.slug)}`);
  } catch (error) {
    sheets.replaceChildren();
    toolbar.replaceChildren(h('p', {}, h('a', { text: t('poster.back'), attrs: { href: '/team' } })));
    say(failure(error), true);
    return;
  }
  const data = cached;
  const all = new Map(await Promise.all(WORKER_LANGUAGES.map(async (lang) => [lang, await POSTER_TEXTS[lang]()] as [string, PosterTexts])));
  const names = new Map([...all].map(([lang, texts]) => [lang, texts.language]));
  const chosen = languagesOf(route, data);
  renderToolbar(route, data, chosen, names);
  const build = route.kind === 'cards' ? buildCardSheet : buildPoster;
  sheets.replaceChildren(
    ...chosen.map((lang) =>
      build({ data, lang, texts: all.get(lang)!, others: chosen.filter((l) => l !== lang).map((l) => names.get(l)!) }),
    ),
  );
  await document.fonts.ready;
  for (const sheet of sheets.querySelectorAll<HTMLElement>('.sheet')) fitSheet(sheet);
  document.title = `${t('poster.heading', { channel: data.name })} — Ombud`;
  say('');
  document.documentElement.dataset.posterReady = route.kind;
}

window.addEventListener('hashchange', () => {
  delete document.documentElement.dataset.posterReady;
  void render();
});
void render();
