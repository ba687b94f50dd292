/**
 * Who is told what, and when.
 *
 * Events (a new case, a reporter's message, retaliation) are noted in
 * memory after the request's transaction committed — the request never
 * waits for SMTP and never fails because of it — and sent by `flush`, which
 * ./scheduler.ts calls every quarter of an hour: one e-mail per
 * investigator with everything new. Sending at once would put the exact
 * minute a worker reported into the Date and Received headers of a mail
 * kept by mail servers Ombud does not control; the server itself keeps
 * reporter activity to the day (docs/threat-model.md). Events not yet sent
 * are lost on a restart; the inbox still shows them.
 *
 * The daily deadline digest is sent by `runDigest` (same scheduler).
 * Errors are counted and logged without an address or any content.
 */
import { encryptText } from '../../crypto/index.ts';
import type { NotificationAddress, Repositories } from '../../db/index.ts';
import { feedbackByDay } from '../cases/deadlines.ts';
import { addDays, dayOf, type Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import type { Mailer } from './mailer.ts';
import {
  ACK_SOON, digestIsEmpty, FEEDBACK_SOON, noticeSubject, noticeText, shortCaseId, type DigestCounts, type EventKind, type Notice,
} from './notices.ts';
import { isWorkspaceLanguage } from '../../common/workspace-languages.ts';

/** Acknowledgement due within this many days counts as "due soon" in the digest. */
export const ACK_SOON_DAYS = ACK_SOON;
/** Feedback due within this many days counts as "due soon". */
export const FEEDBACK_SOON_DAYS = FEEDBACK_SOON;
/** The digest goes out at the first check at or after this hour (UTC) of each day. */
export const DIGEST_HOUR_UTC = 6;
/** Events kept for the next flush at most (a flood of fake reports must not fill the memory). */
export const MAX_PENDING_EVENTS = 10_000;

export interface NotifyStats {
  sent: number;
  failed: number;
}

export interface Notifier {
  caseReceived(caseId: string): void;
  reporterWrote(caseId: string): void;
  retaliationReported(caseId: string): void;
  /** Sends what happened since the last flush, one e-mail per investigator; resolves to the number sent. */
  flush(): Promise<number>;
  /** Sends today's digest to every investigator who has not had it yet; resolves to the number sent. */
  runDigest(): Promise<number>;
  readonly stats: Readonly<NotifyStats>;
}

interface Deps {
  repos: Repositories;
  config: Readonly<AppConfig>;
  clock: Clock;
  mailer: Mailer | undefined;
}

const CLOSED_STAGES: ReadonlySet<string> = new Set(['concluded', 'closed']);

/** Addresses of the active investigators of the case's teams, minus those excluded from it (conflict of interest). */
function addressesForCase(repos: Repositories, caseId: string): NotificationAddress[] {
  const found = new Map<string, NotificationAddress>();
  for (const teamId of repos.cases.teamIdsOf(caseId)) {
    for (const investigator of repos.investigators.activeOfTeam(teamId)) {
      if (repos.caseWork.isExcluded(caseId, investigator.id)) continue;
      const address = repos.notifications.find(investigator.id);
      if (address) found.set(investigator.id, address);
    }
  }
  return [...found.values()];
}

/** The deadlines of the team's open cases, minus those the investigator is excluded from. */
function digestFor(repos: Repositories, investigatorId: string, teamId: string, today: string): DigestCounts {
  const counts: DigestCounts = { acknowledgeSoon: [], acknowledgeMissed: [], feedbackSoon: [], feedbackMissed: [] };
  const ackSoon = addDays(today, ACK_SOON_DAYS);
  const feedbackSoon = addDays(today, FEEDBACK_SOON_DAYS);
  for (const c of repos.caseLists.listForTeam(teamId)) {
    if (c.closedDay !== null || CLOSED_STAGES.has(c.stage) || repos.caseWork.isExcluded(c.id, investigatorId)) continue;
    const id = shortCaseId(c.id);
    if (c.acknowledgedDay === null) {
      if (today > c.acknowledgeByDay) counts.acknowledgeMissed.push(id);
      else if (c.acknowledgeByDay <= ackSoon) counts.acknowledgeSoon.push(id);
    }
    const feedback = feedbackByDay(c);
    if (today > feedback) counts.feedbackMissed.push(id);
    else if (feedback <= feedbackSoon) counts.feedbackSoon.push(id);
  }
  return counts;
}

export function createNotifier({ repos, config, clock, mailer }: Deps): Notifier {
  const stats: NotifyStats = { sent: 0, failed: 0 };
  const pending: Array<{ caseId: string; kind: EventKind }> = [];
  /** Flushes run one after another. */
  let flushing: Promise<unknown> = Promise.resolve();

  async function deliver(address: NotificationAddress, notice: Notice): Promise<void> {
    if (!mailer) return;
    // In the language the investigator chose in the workspace (English if none).
    const language = repos.investigators.languageOf(address.investigatorId);
    const lang = isWorkspaceLanguage(language) ? language : null;
    const text = noticeText(notice, config.publicUrl, lang);
    let body = text;
    if (address.encrypt) {
      const key = repos.investigators.find(address.investigatorId)?.publicKey;
      if (!key) throw new Error('no public key to encrypt to');
      body = await encryptText({ text, recipients: [key] });
    }
    await mailer.send({ to: address.email, subject: noticeSubject(lang), text: body });
    stats.sent += 1;
  }

  function failed(): void {
    stats.failed += 1;
    console.error(`ombud: an e-mail notice could not be sent (${stats.failed} failed since start)`);
  }

  function note(caseId: string, kind: EventKind): void {
    if (!mailer || pending.length >= MAX_PENDING_EVENTS) return;
    pending.push({ caseId, kind });
  }

  async function flushNow(): Promise<number> {
    const events = pending.splice(0);
    // Addresses are looked up now: whoever is on the team and has an address at sending time.
    const perInvestigator = new Map<string, { address: NotificationAddress; events: Array<{ kind: EventKind; caseShortId: string }> }>();
    for (const event of events) {
      try {
        for (const address of addressesForCase(repos, event.caseId)) {
          const entry = perInvestigator.get(address.investigatorId) ?? { address, events: [] };
          const told = { kind: event.kind, caseShortId: shortCaseId(event.caseId) };
          // Five messages on one case are one line.
          if (!entry.events.some((e) => e.kind === told.kind && e.caseShortId === told.caseShortId)) entry.events.push(told);
          perInvestigator.set(address.investigatorId, entry);
        }
      } catch {
        failed();
      }
    }
    let sent = 0;
    for (const { address, events: told } of perInvestigator.values()) {
      try {
        await deliver(address, { kind: 'events', events: told });
        sent += 1;
      } catch {
        failed();
      }
    }
    return sent;
  }

  async function runDigest(): Promise<number> {
    if (!mailer) return 0;
    const now = clock.now();
    if (new Date(now).getUTCHours() < DIGEST_HOUR_UTC) return 0;
    const today = dayOf(now);
    let sent = 0;
    for (const address of repos.notifications.listActive()) {
      if (address.lastDigestDay !== null && address.lastDigestDay >= today) continue;
      // Claimed before sending: a second tick or a restarted server does not send it again.
      if (!repos.notifications.claimDigest(address.investigatorId, today)) continue;
      try {
        const teamId = repos.investigators.find(address.investigatorId)?.teamId;
        const counts = teamId ? digestFor(repos, address.investigatorId, teamId, today) : undefined;
        if (!counts || digestIsEmpty(counts)) continue;
        await deliver(address, { kind: 'digest', counts, day: today });
        sent += 1;
      } catch {
        // Given back, so that the next hourly check tries again.
        repos.notifications.releaseDigest(address.investigatorId, today, address.lastDigestDay);
        failed();
      }
    }
    return sent;
  }

  return {
    caseReceived: (caseId) => note(caseId, 'case_received'),
    reporterWrote: (caseId) => note(caseId, 'reporter_wrote'),
    retaliationReported: (caseId) => note(caseId, 'retaliation_reported'),
    flush: () => {
      const run = flushing.then(flushNow, flushNow);
      flushing = run;
      return run;
    },
    runDigest,
    stats,
  };
}
