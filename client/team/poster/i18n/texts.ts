/**
 * What a poster and a wallet card say to workers, in one language. Each
 * language is its own module (./en.ts, ./zh-CN.ts, …), loaded only when an
 * administrator prints it; ./texts.test.ts checks that every language has
 * every text, with the same {placeholders}.
 *
 * These texts are separate from the worker catalogs of client/i18n/ because
 * a poster shows several languages at once (one A4 page each, printed in one
 * go), while those catalogs switch one page between languages.
 *
 * Plain words for readers who read little: short sentences, the same words
 * the report and status pages use (“report number”, “locked (encrypted)”,
 * “Check my report”).
 */

/** A counted text: `one` where the language has a singular form, `other` always; `{n}` is the number. */
export interface Counted {
  one?: string;
  other: string;
}

export interface PosterTexts {
  /** The language's own name, for “Also in: …”. */
  language: string;
  headline: string;
  badgeAnonymous: string;
  badgeLocked: string;
  badgeNoPunish: string;
  /** {channel}: the channel's name. */
  forChannel: string;
  scan: string;
  /** Before the full link, printed for typing by hand. */
  typeLink: string;
  howHeading: string;
  howWrite: string;
  howPhoto: string;
  howVoice: string;
  nextHeading: string;
  stepNumber: string;
  /** {days}: `days` filled in, e.g. “7 days”. */
  stepAck: string;
  /** {months}: `months` filled in. */
  stepFeedback: string;
  /** {url}: the status page's address. */
  stepCheck: string;
  safeHeading: string;
  safeName: string;
  safeLocked: string;
  safeRetaliation: string;
  whoHeading: string;
  whoOne: string;
  whoChoose: string;
  /** What a team is to the channel's workers (common/limits.ts CHANNEL_TEAM_ROLES), under its name. */
  roleWorkplace: string;
  roleBrand: string;
  roleIndependent: string;
  /** Beside a team's name when the teams' deadlines differ. */
  teamTimes: string;
  days: Counted;
  months: Counted;
  alsoIn: string;
  /** Before the onion address, printed smaller under the link when the service has one. */
  alsoTor: string;
  cardHeadline: string;
  cardScan: string;
  cardKeep: string;
}
