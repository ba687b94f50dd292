/**
 * One A4 poster (portrait) in one language, for a factory's notice board.
 *
 * One language per page, not several languages squeezed on one: a worker
 * finds a whole poster in their own language, every line in type large
 * enough to read from two metres, and the board shows one page per language
 * the channel's workers read (“This poster is also in: …” names the others,
 * each in its own script, so a reader sees which page is theirs). The QR code
 * is the same on every page.
 *
 * Reading order: the headline and whom it is for; three promises (no name,
 * locked, no punishment); the QR code with the three ways to tell it; what
 * happens next and when; protection and who reads; the full link for typing;
 * and, small, the key check for the administrator who hangs it up.
 */
import { directionOf } from '../../i18n/core.ts';
import type { PosterData } from '../../../common/poster.ts';
import { t } from '../../i18n/team.ts';
import { h } from '../../lib/dom.ts';
import { fill, type PosterTexts } from './i18n/index.ts';
import { keyCheckGroups } from './links.ts';
import { linkQr, pictogram, stepTexts, teamLines, typedLink } from './pieces.ts';

export interface SheetInput {
  data: PosterData;
  lang: string;
  texts: PosterTexts;
  /** The other printed languages' own names. */
  others: string[];
}

function badges(texts: PosterTexts): HTMLElement {
  const badge = (icon: Parameters<typeof pictogram>[0], text: string) =>
    h('li', { class: 'promise' }, pictogram(icon), h('span', { text }));
  return h('ul', { class: 'promises' },
    badge('anonymous', texts.badgeAnonymous),
    badge('lock', texts.badgeLocked),
    badge('shield', texts.badgeNoPunish),
  );
}

function ways(texts: PosterTexts): HTMLElement {
  const way = (icon: Parameters<typeof pictogram>[0], text: string) => h('li', {}, pictogram(icon), h('span', { text }));
  return h('div', { class: 'ways' },
    h('h2', { text: texts.howHeading }),
    h('ul', {}, way('write', texts.howWrite), way('photo', texts.howPhoto), way('voice', texts.howVoice)),
  );
}

/** The administrator's line: each team and the start of its recovery key's fingerprint. */
export function keyCheck(data: PosterData, className: string, withHint = true): HTMLElement {
  return h('p', { class: className, attrs: { translate: 'no', lang: 'en', dir: 'ltr' } },
    h('strong', { text: `${t('poster.keyCheck')}: ` }),
    ...data.teams.flatMap((team, index) => [
      index > 0 ? ' · ' : '',
      `${team.name} `,
      h('code', { class: 'key-fp', text: keyCheckGroups(team.recoveryFingerprint) }),
    ]),
    withHint ? ` — ${t('poster.keyCheckHint')}` : '',
  );
}

export function buildPoster({ data, lang, texts, others }: SheetInput): HTMLElement {
  const steps = h('ol', { class: 'steps' }, ...stepTexts(data, lang, texts).map((text) => h('li', { text })));
  const teams = teamLines(data, lang, texts);
  return h('section', { class: 'sheet poster', attrs: { lang, dir: directionOf(lang), 'data-lang': lang } },
    h('header', { class: 'poster-head' },
      h('h1', { text: texts.headline }),
      h('p', { class: 'for', text: fill(texts.forChannel, { channel: data.name }) }),
    ),
    badges(texts),
    h('div', { class: 'scan-row' },
      h('figure', { class: 'qr-box' },
        linkQr(data, 'Q', t('poster.qrLabel', { channel: data.name })),
        h('figcaption', { text: texts.scan }),
      ),
      ways(texts),
    ),
    h('div', { class: 'next' }, h('h2', { text: texts.nextHeading }), steps),
    h('div', { class: 'two' },
      h('div', { class: 'safe' },
        h('h2', { text: texts.safeHeading }),
        h('ul', {}, h('li', { text: texts.safeName }), h('li', { text: texts.safeLocked }), h('li', { class: 'strong', text: texts.safeRetaliation })),
      ),
      h('div', { class: 'who' },
        h('h2', { text: texts.whoHeading }),
        h('p', { text: teams.length > 1 ? texts.whoChoose : texts.whoOne }),
        h('ul', { class: 'teams' }, ...teams.map((team) =>
          h('li', {},
            h('strong', { text: team.name }),
            team.role ? h('span', { class: 'team-role', text: team.role }) : null,
            team.times ? h('span', { class: 'team-times', text: team.times }) : null,
          ))),
      ),
    ),
    h('footer', { class: 'poster-foot' },
      h('p', { class: 'type-hint', text: texts.typeLink }),
      typedLink(data.link, 'typed-link'),
      data.onionLink ? h('p', { class: 'onion-hint', text: texts.alsoTor }) : null,
      data.onionLink ? typedLink(data.onionLink, 'onion-link') : null,
      others.length > 0 ? h('p', { class: 'also-in', text: `${texts.alsoIn} ${others.join(' · ')}` }) : null,
      keyCheck(data, 'key-check'),
    ),
  );
}
