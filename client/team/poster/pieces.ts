/**
 * What the poster and the cards share: the pictograms, the QR code of the
 * pinned link, the deadlines the teams promise, and the full link broken
 * for typing.
 */
import type { PosterData, PosterTeam } from '../../../common/poster.ts';
import { h } from '../../lib/dom.ts';
import { qrSvg } from '../../lib/qr.ts';
import { counted, fill, type PosterTexts } from './i18n/index.ts';

/** Drawn like the category pictograms (client/icons/: 48×48, one colour), for the poster's own ideas. */
export const PICTOGRAMS = {
  write: new URL('./icons/write.svg', import.meta.url).href,
  photo: new URL('./icons/photo.svg', import.meta.url).href,
  voice: new URL('./icons/voice.svg', import.meta.url).href,
  anonymous: new URL('./icons/anonymous.svg', import.meta.url).href,
  lock: new URL('./icons/lock.svg', import.meta.url).href,
  shield: new URL('./icons/shield.svg', import.meta.url).href,
} as const;

export function pictogram(name: keyof typeof PICTOGRAMS, className = 'pictogram'): HTMLImageElement {
  // Decorative: the words beside each picture say the same.
  return h('img', { class: className, attrs: { src: PICTOGRAMS[name], alt: '', width: '48', height: '48' } });
}

/**
 * The QR code of the pinned link. Error correction Q on posters (a quarter of
 * the code may be dirty, torn or covered by a pin), M on cards (smaller
 * modules would not scan from a card); the quiet zone is drawn in the SVG.
 */
export function linkQr(data: PosterData, level: 'M' | 'Q', label: string): SVGElement {
  const svg = qrSvg(data.link, label, level);
  svg.classList.add('link-qr');
  svg.dataset.link = data.link;
  return svg;
}

/**
 * Deadlines a worker can rely on whichever offered team they choose: the
 * longest of the teams', so the poster never promises more than a team keeps.
 */
export function promisedDeadlines(data: PosterData): { ackDays: number; feedbackMonths: number; differ: boolean } {
  const ackDays = Math.max(...data.teams.map((team) => team.ackDays));
  const feedbackMonths = Math.max(...data.teams.map((team) => team.feedbackMonths));
  const differ = data.teams.some((team) => team.ackDays !== ackDays || team.feedbackMonths !== feedbackMonths);
  return { ackDays, feedbackMonths, differ };
}

export function stepTexts(data: PosterData, lang: string, texts: PosterTexts): string[] {
  const promised = promisedDeadlines(data);
  return [
    texts.stepNumber,
    fill(texts.stepAck, { days: counted(lang, texts.days, promised.ackDays) }),
    fill(texts.stepFeedback, { months: counted(lang, texts.months, promised.feedbackMonths) }),
    fill(texts.stepCheck, { url: data.statusUrl.replace(/^https?:\/\//, '') }),
  ];
}

export interface TeamLine {
  name: string;
  /** What the team is to these workers, in their language, if the channel says. */
  role: string | undefined;
  /** The team's own deadlines, when the offered teams' differ. */
  times: string | undefined;
}

function roleText(role: PosterTeam['role'], texts: PosterTexts): string | undefined {
  switch (role) {
    case 'workplace': return texts.roleWorkplace;
    case 'brand': return texts.roleBrand;
    case 'independent': return texts.roleIndependent;
    case null: return undefined;
    default: return assertNever(role);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown team role: ${String(value)}`);
}

/** Each offered team, with what it is to these workers and its own deadlines when the teams' differ. */
export function teamLines(data: PosterData, lang: string, texts: PosterTexts): TeamLine[] {
  const { differ } = promisedDeadlines(data);
  return data.teams.map((team) => ({
    name: team.name,
    role: roleText(team.role, texts),
    times: differ
      ? fill(texts.teamTimes, { days: counted(lang, texts.days, team.ackDays), months: counted(lang, texts.months, team.feedbackMonths) })
      : undefined,
  }));
}

/**
 * The full link, for typing when there is no camera. The report form refuses
 * a link without its `#pins=…` part (the keys it must check), so the whole
 * link is printed; break opportunities (<wbr>) every few characters let it
 * wrap without a hyphen or space that a reader might type.
 */
export function typedLink(link: string, className: string): HTMLElement {
  const el = h('p', { class: className, attrs: { translate: 'no', dir: 'ltr' } });
  const [base = link, fragment] = link.split('#');
  el.append(base);
  if (fragment !== undefined) {
    el.append(document.createElement('wbr'), '#');
    for (const piece of fragment.match(/.{1,10}/g) ?? []) el.append(piece, document.createElement('wbr'));
  }
  return el;
}
