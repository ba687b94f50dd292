/**
 * The words of every e-mail Ombud sends. What a notice may say is decided
 * here, in one place, by types: a kind, opaque short case ids and counts.
 * Nothing else reaches this module — no report content, category, channel,
 * team or reporter detail — so no e-mail can carry them
 * (docs/threat-model.md; ./notify.test.ts checks with canaries).
 */

/** Every notice has the same subject: a subject line is read on lock screens. */
export const NOTICE_SUBJECT = 'Ombud: something needs your attention';

/** Things that happened on a case, told in the next notice to its team. */
export const EVENT_KINDS = ['retaliation_reported', 'case_received', 'reporter_wrote'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** A notice lists at most this many events, or case ids per digest line (a flood of reports must not make a huge mail). */
export const MAX_EVENT_LINES = 50;

/** What the daily digest counts, with the short ids of the cases. */
export interface DigestCounts {
  acknowledgeSoon: string[];
  acknowledgeMissed: string[];
  feedbackSoon: string[];
  feedbackMissed: string[];
}

export type Notice =
  | { kind: 'events'; events: Array<{ kind: EventKind; caseShortId: string }> }
  | { kind: 'digest'; counts: DigestCounts };

/** The short id investigators see in their case list (client/team/stages.ts). */
export function shortCaseId(caseId: string): string {
  return caseId.slice(0, 8);
}

function assertNever(value: never): never {
  throw new Error(`unknown notice: ${JSON.stringify(value)}`);
}

function digestLines(counts: DigestCounts): string[] {
  const list = (ids: string[]) => ids.slice(0, MAX_EVENT_LINES).join(', ') + (ids.length > MAX_EVENT_LINES ? ', …' : '');
  const line = (ids: string[], what: string) => (ids.length === 0 ? [] : [`- ${ids.length} ${what}: ${list(ids)}`]);
  return [
    'Deadlines of your team\'s cases:',
    '',
    ...line(counts.acknowledgeMissed, 'acknowledgement overdue'),
    ...line(counts.acknowledgeSoon, 'acknowledgement due within 2 days'),
    ...line(counts.feedbackMissed, 'feedback to the reporter overdue'),
    ...line(counts.feedbackSoon, 'feedback to the reporter due within 14 days'),
  ];
}

function eventLine(kind: EventKind, id: string): string {
  switch (kind) {
    case 'retaliation_reported':
      return `- URGENT: the reporter of case ${id} reports retaliation.`;
    case 'case_received':
      return `- A new report arrived for your team (case ${id}).`;
    case 'reporter_wrote':
      return `- The reporter wrote a new message on case ${id}.`;
    default:
      return assertNever(kind);
  }
}

function headline(notice: Notice): string[] {
  switch (notice.kind) {
    case 'events': {
      // Urgent first, then in the order of EVENT_KINDS.
      const ordered = [...notice.events].sort((a, b) => EVENT_KINDS.indexOf(a.kind) - EVENT_KINDS.indexOf(b.kind));
      const shown = ordered.slice(0, MAX_EVENT_LINES).map((e) => eventLine(e.kind, e.caseShortId));
      const more = ordered.length - shown.length;
      return ['New on your team\'s cases:', '', ...shown, ...(more > 0 ? [`- … and ${more} more.`] : [])];
    }
    case 'digest':
      return digestLines(notice.counts);
    default:
      return assertNever(notice);
  }
}

/** The plain-text body: what happened, where to read it, nothing more. */
export function noticeText(notice: Notice, publicUrl: string): string {
  return [
    ...headline(notice),
    '',
    `Sign in to read it: ${publicUrl}/team`,
    '',
    'This e-mail never contains what a report says. You receive it because you',
    'left this address in your Ombud account; change it under your name, top right.',
    '',
  ].join('\n');
}

export function digestIsEmpty(counts: DigestCounts): boolean {
  return Object.values(counts).every((ids: string[]) => ids.length === 0);
}
