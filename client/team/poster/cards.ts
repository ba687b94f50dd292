/**
 * Wallet cards (ID-1 size, 85.6 × 54 mm), five to an A4 sheet, in one
 * language per sheet.
 *
 * Each card is printed as a fold-over pair: front and back side by side,
 * sharing the dashed fold line. Cut along the marks in the margins, fold,
 * glue or laminate. No duplex printer is needed, a front cannot be printed a
 * few millimetres off its back (cheap duplex printers shift the second side),
 * and the folded card is twice as stiff. The rows touch, so one cut separates
 * two cards; the marks stay outside the cards so no line shows on a card.
 */
import { directionOf } from '../../i18n/core.ts';
import type { PosterData } from '../../../common/poster.ts';
import { t } from '../../i18n/team.ts';
import { h } from '../../lib/dom.ts';
import { fill, type PosterTexts } from './i18n/index.ts';
import { linkQr, pictogram, stepTexts, teamLines, typedLink } from './pieces.ts';
import { keyCheck, type SheetInput } from './poster.ts';

export const CARDS_PER_SHEET = 5;

/** A cut mark (solid) or the fold mark (dashed), drawn in the margins by poster.css. */
const mark = (where: string) => h('span', { class: `mark ${where}`, attrs: { 'aria-hidden': 'true' } });

function front(data: PosterData, texts: PosterTexts): HTMLElement {
  return h('div', { class: 'card front' },
    linkQr(data, 'M', t('poster.qrLabel', { channel: data.name })),
    h('div', { class: 'card-side' },
      h('p', { class: 'card-headline', text: texts.cardHeadline }),
      h('ul', { class: 'card-badges' },
        h('li', {}, pictogram('anonymous', 'mini'), h('span', { text: texts.badgeAnonymous })),
        h('li', {}, pictogram('lock', 'mini'), h('span', { text: texts.badgeLocked })),
        h('li', {}, pictogram('shield', 'mini'), h('span', { text: texts.badgeNoPunish })),
      ),
      h('p', { class: 'card-scan', text: `${texts.cardScan} →` }),
      h('p', { class: 'card-for', text: fill(texts.forChannel, { channel: data.name }) }),
    ),
  );
}

function back(data: PosterData, lang: string, texts: PosterTexts): HTMLElement {
  const teams = teamLines(data, lang, texts);
  return h('div', { class: 'card back' },
    h('p', { class: 'card-ways' },
      pictogram('write', 'mini'), h('span', { text: texts.howWrite }),
      pictogram('photo', 'mini'), h('span', { text: texts.howPhoto }),
      pictogram('voice', 'mini'), h('span', { text: texts.howVoice }),
    ),
    h('ol', { class: 'card-steps' }, ...stepTexts(data, lang, texts).map((text) => h('li', { text }))),
    h('p', { class: 'card-who' },
      h('strong', { text: `${teams.length > 1 ? texts.whoChoose : texts.whoOne} ` }),
      teams.map((team) => (team.times ? `${team.name} (${team.times})` : team.name)).join(' · '),
    ),
    h('p', { class: 'card-type', text: texts.typeLink }),
    typedLink(data.link, 'card-link'),
    h('p', { class: 'card-keep', text: texts.cardKeep }),
  );
}

export function buildCardSheet({ data, lang, texts }: SheetInput): HTMLElement {
  const rows = Array.from({ length: CARDS_PER_SHEET }, () =>
    h('div', { class: 'card-pair' },
      front(data, texts),
      back(data, lang, texts),
      mark('cut-left'),
      mark('cut-right'),
    ),
  );
  return h('section', { class: 'sheet cards', attrs: { lang, dir: directionOf(lang), 'data-lang': lang } },
    h('div', { class: 'card-grid' },
      ...rows,
      ...['top', 'bottom'].flatMap((edge) => ['left', 'fold', 'right'].map((col) => mark(`col ${col} ${edge}`))),
      mark('cut-left last'),
      mark('cut-right last'),
    ),
    h('p', { class: 'sheet-note', attrs: { lang: 'en' }, text: t('poster.cardsHint') }),
    keyCheck(data, 'key-check sheet-key', false),
  );
}
