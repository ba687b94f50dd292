/**
 * Listening to the worker pages: which language has a voice, what a "listen"
 * block is made of, and how the sound of a dynamic text (a day, a count, the
 * case number) is put together from recorded pieces. Shared by the build
 * (scripts/prompts.ts synthesizes the pieces named here) and the page
 * (client/lib/listen*.ts plays them), so the two can never disagree on a
 * piece's name. Why recorded prompts and not the browser's speech
 * synthesis: docs/listening.md.
 */

/**
 * What each worker language sounds like. `voice` is the espeak-ng voice the
 * build uses; `scope` says what it can honestly say:
 * - `all`: every catalog text, dates and counts, and the case number;
 * - `digits`: only digits are intelligible (espeak-ng reads Chinese
 *   characters and Thai words wrongly, but reads their digits well), so only
 *   the case number can be heard — every other control stays hidden.
 * A language missing here has no voice: no control is shown (docs/listening.md
 * lists what a worker hears in each language, and why).
 */
export const LISTEN_VOICES: Readonly<Record<string, { voice: string; scope: 'all' | 'digits' }>> = {
  en: { voice: 'en-us', scope: 'all' },
  es: { voice: 'es-419', scope: 'all' },
  hi: { voice: 'hi', scope: 'all' },
  id: { voice: 'id', scope: 'all' },
  ms: { voice: 'ms', scope: 'all' },
  vi: { voice: 'vi', scope: 'all' },
  'zh-CN': { voice: 'cmn', scope: 'digits' },
  th: { voice: 'th', scope: 'digits' },
  // The languages being added as catalogs; the build voices them once their catalog exists.
  bn: { voice: 'bn', scope: 'all' },
  ne: { voice: 'ne', scope: 'all' },
  ur: { voice: 'ur', scope: 'all' },
  ta: { voice: 'ta', scope: 'all' },
  te: { voice: 'te', scope: 'all' },
  'pt-BR': { voice: 'pt-br', scope: 'all' },
  tr: { voice: 'tr', scope: 'all' },
  // No voice: km (Khmer) and tl (Tagalog) are not in espeak-ng; my (Burmese) drops most letters.
};

/** The years whose names are recorded: a day outside them cannot be heard (its control is hidden). */
export const LISTEN_YEARS = { from: 2020, to: 2060 } as const;
/** Counts up to this are recorded (days to confirm, minutes to wait). */
export const LISTEN_MAX_COUNT = 99;

/**
 * One thing a block says: a catalog key with the values of its placeholders
 * (`status.receivedOn|date=2026-03-07`), a plural key with its count
 * (`info.ack|count=7`), the digits of an element's text (`#receipt-token`),
 * or the text an element currently shows (`@info-who`).
 */
export type ListenItem =
  | { kind: 'text'; key: string; vars: Readonly<Record<string, string>> }
  | { kind: 'digits'; elementId: string }
  /** `@info-who`: whatever catalog text that element shows now (its data-i18n key, vars and count). */
  | { kind: 'element'; elementId: string };

/** Parses a `data-listen` attribute: items separated by spaces, `|name=value` after a key. */
export function parseListen(attribute: string): ListenItem[] {
  return attribute
    .split(/\s+/)
    .filter((token) => token !== '')
    .map((token): ListenItem => {
      if (token.startsWith('#')) return { kind: 'digits', elementId: token.slice(1) };
      if (token.startsWith('@')) return { kind: 'element', elementId: token.slice(1) };
      const [key, ...pairs] = token.split('|');
      const vars: Record<string, string> = {};
      for (const pair of pairs) {
        const at = pair.indexOf('=');
        if (at > 0) vars[pair.slice(0, at)] = pair.slice(at + 1);
      }
      return { kind: 'text', key: key!, vars };
    });
}

/** A catalog text cut at its placeholders: `Received on {date}.` → ['Received on ', {date}, '.']. */
export type Segment = { literal: string } | { variable: string };
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    out.push({ literal: text.slice(last, match.index) });
    out.push({ variable: match[1]! });
    last = match.index! + match[0].length;
  }
  out.push({ literal: text.slice(last) });
  return out;
}

/** Whether a piece of text has anything to say (not only spaces, punctuation or pictures). */
export function speakable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** What the synthesizer is given: pictures and marks that it would spell out are dropped. */
export function spokenText(text: string): string {
  return text
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}✔✎—–“”‘’«»()]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The clip of the i-th speakable literal segment of a catalog key. */
export const segmentClip = (key: string, index: number): string => `${key}#${index}`;

/** A recorded piece: its clip id, and the text the build speaks for it. */
export interface Piece {
  id: string;
  text: string;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(lang: string): Intl.DateTimeFormat {
  let format = dayFormats.get(lang);
  if (!format) {
    // The same format as the pages' formatDay (client/i18n/core.ts): the worker hears what they read.
    format = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
    dayFormats.set(lang, format);
  }
  return format;
}

/**
 * A server day ('2026-03-07') as the pieces that say it in `lang`, in the
 * language's order: `date.day.7`, `date.lit.de`, `date.month.marzo`, … .
 * Pieces are named by what the page shows, so a calendar that numbers years
 * its own way (Thai: 2569) is heard as it is read. Spaces and commas between
 * parts are pauses, not pieces.
 */
export function datePieces(lang: string, day: string): Piece[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new Error(`not a day: ${day}`);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return dayFormat(lang)
    .formatToParts(date)
    .flatMap((part): Piece[] => {
      const text = part.value.trim();
      if (!speakable(text)) return [];
      const type = part.type === 'literal' ? 'lit' : part.type;
      return [{ id: `date.${type}.${text}`, text }];
    });
}

/** Every piece any day in LISTEN_YEARS needs, for the build. */
export function allDatePieces(lang: string): Piece[] {
  const pieces = new Map<string, Piece>();
  const add = (day: string) => datePieces(lang, day).forEach((p) => pieces.set(p.id, p));
  for (let d = 1; d <= 31; d += 1) add(`2026-01-${String(d).padStart(2, '0')}`);
  for (let m = 1; m <= 12; m += 1) add(`2026-${String(m).padStart(2, '0')}-15`);
  for (let y = LISTEN_YEARS.from; y <= LISTEN_YEARS.to; y += 1) add(`${y}-06-15`);
  return [...pieces.values()];
}

/** A count (0…LISTEN_MAX_COUNT) as one piece, written the language's way. */
export function countPiece(lang: string, count: number): Piece | undefined {
  if (!Number.isInteger(count) || count < 0 || count > LISTEN_MAX_COUNT) return undefined;
  return { id: `count.${count}`, text: new Intl.NumberFormat(lang).format(count) };
}

/** The ten digits; the case number is read one digit at a time, a pause between groups. */
export const DIGIT_PIECES: readonly Piece[] = Array.from({ length: 10 }, (_, d) => ({ id: `digit.${d}`, text: String(d) }));

/** A pause between groups of digits, and between the parts of a block. */
export const PAUSE = 'pause';

/** The case number's digits as pieces, with a pause between groups ("1234 5678" → 1 2 3 4 pause 5 6 7 8). */
export function digitPieces(text: string): string[] {
  const out: string[] = [];
  for (const group of text.split(/[^0-9]+/).filter((g) => g !== '')) {
    if (out.length > 0) out.push(PAUSE);
    for (const digit of group) out.push(`digit.${digit}`);
  }
  return out;
}

/** What the build writes for one language, and the page reads before it plays (clip id → file URL). */
export interface PromptManifest {
  lang: string;
  voice: string;
  scope: 'all' | 'digits';
  clips: Record<string, string>;
}

/** The clips that say one item, in order; undefined when part of it cannot be said (the control is then hidden). */
export function itemClips(
  lang: string,
  item: ListenItem,
  text: (key: string) => string | undefined,
  digitsOf: (elementId: string) => string | undefined,
): string[] | undefined {
  if (item.kind === 'digits') {
    const digits = digitsOf(item.elementId);
    return digits && /[0-9]/.test(digits) ? digitPieces(digits) : undefined;
  }
  if (item.kind === 'element') return undefined; // the page turns it into a text item first (client/lib/listen-player.ts)
  let key = item.key;
  let source = text(key);
  if (source === undefined && item.vars.count !== undefined) {
    key = `${item.key}.${new Intl.PluralRules(lang).select(Number(item.vars.count))}`;
    source = text(key) ?? text((key = `${item.key}.other`));
  }
  if (source === undefined) return undefined;
  const clips: string[] = [];
  for (const [index, segment] of segments(source).entries()) {
    if ('literal' in segment) {
      if (speakable(spokenText(segment.literal))) clips.push(segmentClip(key, index));
      continue;
    }
    const value = item.vars[segment.variable];
    if (value === undefined) return undefined;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) clips.push(...datePieces(lang, value).map((p) => p.id));
    else if (/^\d+$/.test(value) && countPiece(lang, Number(value))) clips.push(countPiece(lang, Number(value))!.id);
    else return undefined; // a name typed by an administrator, a link: nothing recorded can say it
  }
  return clips;
}

/** The pieces the build records for one catalog text. */
export function textPieces(key: string, text: string): Piece[] {
  return segments(text).flatMap((segment, index): Piece[] => {
    if (!('literal' in segment)) return [];
    const spoken = spokenText(segment.literal);
    return speakable(spoken) ? [{ id: segmentClip(key, index), text: spoken }] : [];
  });
}
