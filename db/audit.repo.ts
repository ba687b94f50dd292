/**
 * The audit trail: an append-only, hash-chained list of events.
 *
 *   hash = sha256(prev_hash || canonicalJson(event))
 *
 * where `event` holds every column but the two hashes. Changing, removing or
 * reordering a row breaks the chain from that row on; `verify()` finds it.
 * Events never carry content: ids, actions, stages, usernames. Reporter
 * events are dated to the day only (`at` is null).
 *
 * Reporter events do not enter the chain when they happen: their place
 * between timed events would date them (a failed sign-in can be caused at
 * will just before and after a report). They wait in `audit_pending`
 * (random ids, no order) and `sealPending(today)` appends every one of an
 * earlier day in one batch, in canonical order (day, action, case, detail),
 * after that day's timed events (migration 014, docs/protocol.md "v2:
 * reporter events and backups"); the server's purge does the same in
 * bounded steps (./audit-seal-queue.ts).
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { writeTransaction, type Db } from './database.ts';
import { randomId } from './row-order.ts';
import { createSealQueue } from './audit-seal-queue.ts';
import { CLEAR_IMPLIED, IMPLIED_COLUMNS, IMPLIED_FROM_EVERY_TEAM, IMPLIED_FROM_TEAM, IMPLIED_SINCE } from './audit-implied.ts';
import { caseInTeam } from './case-teams.ts';

export type AuditActor = 'reporter' | 'investigator' | 'system';
export type AuditDetail = Record<string, string | number | boolean | null>;

export interface NewAuditEvent {
  day: string;
  /** Milliseconds; must be null when the actor is the reporter. */
  at: number | null;
  actor: AuditActor;
  investigatorId: string | null;
  caseId: string | null;
  action: string;
  detail: AuditDetail;
}

export interface AuditEvent extends NewAuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

/** A reporter event not yet in the chain: no seq, no hash, day only. */
export interface PendingAuditEvent {
  day: string;
  caseId: string;
  action: string;
  detail: AuditDetail;
}

export type ChainCheck = { ok: true; count: number } | { ok: false; brokenAt: number };

/** One page of the trail, newest first: events before `before` (a seq), at most `limit`. */
export interface AuditPageQuery {
  before: number | null;
  limit: number;
  /**
   * Who is looking. `teamId` null: every event; otherwise the events of cases
   * sent to that team, plus — for an administrator of it (`admin`) — the
   * events without a case of that team's investigators, and — for the
   * deployment's administrators (`admin: 'deployment'`) — the events without
   * a case and without an investigator (failed sign-ins of unknown names,
   * system events). Never another team's cases or people. Either way, the
   * events of a case the viewer is excluded from are left out unless the
   * viewer caused them.
   */
  viewer: { investigatorId: string; teamId: string | null; admin?: 'team' | 'deployment' };
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function chainHash(prevHash: string, seq: number, event: NewAuditEvent): string {
  const body = canonicalJson({ seq, ...event });
  return createHash('sha256').update(prevHash, 'utf8').update(body, 'utf8').digest('hex');
}

interface PendingRow {
  id: string;
  day: string;
  case_id: string;
  action: string;
  detail: string;
}

interface AuditRow {
  seq: number;
  day: string;
  at: number | null;
  actor: AuditActor;
  investigator_id: string | null;
  case_id: string | null;
  action: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

const toEvent = (r: AuditRow): AuditEvent => ({
  seq: r.seq,
  day: r.day,
  at: r.at,
  actor: r.actor,
  investigatorId: r.investigator_id,
  caseId: r.case_id,
  action: r.action,
  detail: JSON.parse(r.detail) as AuditDetail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export function createAuditRepo(db: Db) {
  const last = db.prepare<[], { seq: number; hash: string }>(
    `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`,
  );
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, day, at, actor, investigator_id, case_id, action, detail, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const all = db.prepare<[], AuditRow>(
    `SELECT seq, day, at, actor, investigator_id, case_id, action, detail, prev_hash, hash
     FROM audit_events ORDER BY seq`,
  );

  // A viewer never sees the events of a case they are excluded from (conflict
  // of interest, case_exclusions), except the ones they caused themselves.
  // Parameters: before, me, me, limit.
  const pageAdmin = db.prepare<[number, string, string, number], AuditRow>(
    `SELECT seq, day, at, actor, investigator_id, case_id, action, detail, prev_hash, hash
     FROM audit_events e
     WHERE e.seq < ?
       AND (e.investigator_id IS ? OR e.case_id IS NULL
            OR NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = e.case_id AND x.investigator_id = ?))
     ORDER BY e.seq DESC LIMIT ?`,
  );
  // Parameters: before, me, team, me, limit.
  const pageTeam = db.prepare<[number, string, string, string, number], AuditRow>(
    `SELECT seq, day, at, actor, investigator_id, case_id, action, detail, prev_hash, hash
     FROM audit_events e
     WHERE e.seq < ?
       AND (e.investigator_id IS ?
            OR (e.case_id IS NOT NULL
                AND ${caseInTeam('e.case_id')}
                AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = e.case_id AND x.investigator_id = ?)))
     ORDER BY e.seq DESC LIMIT ?`,
  );

  // Parameters: before, me, team, me, team, anonymous (0/1), limit.
  const pageTeamAdmin = db.prepare<[number, string, string, string, string, number, number], AuditRow>(
    `SELECT seq, day, at, actor, investigator_id, case_id, action, detail, prev_hash, hash
     FROM audit_events e
     WHERE e.seq < ?
       AND (e.investigator_id IS ?
            OR (e.case_id IS NOT NULL
                AND ${caseInTeam('e.case_id')}
                AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = e.case_id AND x.investigator_id = ?))
            OR (e.case_id IS NULL AND e.investigator_id IN (SELECT i.id FROM investigators i WHERE i.team_id = ?))
            OR (e.case_id IS NULL AND e.investigator_id IS NULL AND ? = 1))
     ORDER BY e.seq DESC LIMIT ?`,
  );

  const recentByAction = db.prepare<[string, number, number], AuditRow>(
    `SELECT seq, day, at, actor, investigator_id, case_id, action, detail, prev_hash, hash
     FROM audit_events WHERE action = ? AND at >= ? ORDER BY seq DESC LIMIT ?`,
  );

  // Reading the tail and inserting after it happen in one transaction (a
  // savepoint when the caller already opened one), so the chain cannot fork.
  const append = writeTransaction(db, (event: NewAuditEvent): AuditEvent => {
    if (event.actor === 'reporter' && event.at !== null) {
      throw new Error('reporter events are dated to the day only');
    }
    const tail = last.get();
    const seq = (tail?.seq ?? 0) + 1;
    const prevHash = tail?.hash ?? GENESIS_HASH;
    const hash = chainHash(prevHash, seq, event);
    insert.run(seq, event.day, event.at, event.actor, event.investigatorId, event.caseId,
      event.action, canonicalJson(event.detail), prevHash, hash);
    return { ...event, seq, prevHash, hash };
  });

  return {
    append(event: NewAuditEvent): AuditEvent {
      return append(event);
    },
    ...createPendingEvents(db, append),
    ...createSealQueue(db, append),
    list(): AuditEvent[] {
      return all.all().map(toEvent);
    },
    /** The latest events of one action since `sinceAt` (ms), newest first (e.g. failed sign-ins). */
    recentByAction(action: string, sinceAt: number, limit: number): AuditEvent[] {
      return recentByAction.all(action, sinceAt, limit).map(toEvent);
    },
    page(query: AuditPageQuery): AuditEvent[] {
      const before = query.before ?? Number.MAX_SAFE_INTEGER;
      const me = query.viewer.investigatorId;
      const { teamId, admin } = query.viewer;
      const rows = teamId === null
        ? pageAdmin.all(before, me, me, query.limit)
        : admin
        ? pageTeamAdmin.all(before, me, teamId, me, teamId, admin === 'deployment' ? 1 : 0, query.limit)
        : pageTeam.all(before, me, teamId, me, query.limit);
      return rows.map(toEvent);
    },
    /** Recomputes the chain; reports the first row that does not fit. */
    verify(): ChainCheck {
      let prevHash = GENESIS_HASH;
      let expectedSeq = 1;
      let count = 0;
      for (const row of all.iterate()) {
        let parsed: AuditEvent;
        try {
          parsed = toEvent(row);
        } catch {
          return { ok: false, brokenAt: row.seq };
        }
        const { seq, prevHash: storedPrev, hash, ...event } = parsed;
        if (seq !== expectedSeq || storedPrev !== prevHash || chainHash(prevHash, seq, event) !== hash) {
          return { ok: false, brokenAt: seq };
        }
        prevHash = hash;
        expectedSeq += 1;
        count += 1;
      }
      return { ok: true, count };
    },
  };
}

/**
 * Reporter events waiting for the daily batch: rows of audit_pending, kept
 * apart from the chain so that their order says nothing, and the cases'
 * "received" events, implied by the case row until the batch (`received_event`,
 * migration 024). Appended with `append` in one canonical order.
 */
function createPendingEvents(db: Db, append: (event: NewAuditEvent) => AuditEvent) {
  const insertPending = db.prepare(`INSERT INTO audit_pending (id, day, case_id, action, detail) VALUES (?, ?, ?, ?, ?)`);
  const impliedSince = db.prepare<[], { day: string }>(IMPLIED_SINCE);
  // Canonical order: nothing of the order in which they happened survives. An implied event has the id ''
  // (a pending row's is random, never empty). Parameters: today, today.
  const pendingBefore = db.prepare<[string, string], PendingRow>(
    `SELECT id, day, case_id, action, detail FROM audit_pending WHERE day < ?
     UNION ALL
     SELECT ${IMPLIED_COLUMNS} FROM ${IMPLIED_FROM_EVERY_TEAM} AND ct.received_day < ? GROUP BY c.id
     ORDER BY day, action, case_id, detail, id`,
  );
  const deletePending = db.prepare(`DELETE FROM audit_pending WHERE id = ?`);
  const clearImplied = db.prepare(CLEAR_IMPLIED);
  // Parameters: today. Never backwards; the day before today, for a report stored just after the batch.
  const markSealed = db.prepare(
    `UPDATE audit_implied_since SET day = MAX(day, COALESCE(date(?, '-1 day'), day)) WHERE id = 1`,
  );
  // Parameters: me. Reporter events have a case and no investigator.
  const allPending = db.prepare<[string, string], PendingRow>(
    `SELECT id, day, case_id, action, detail FROM audit_pending p
     WHERE NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = p.case_id AND x.investigator_id = ?)
     UNION ALL
     SELECT ${IMPLIED_COLUMNS} FROM ${IMPLIED_FROM_EVERY_TEAM}
       AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = c.id AND x.investigator_id = ?)
     GROUP BY c.id
     ORDER BY day DESC, action, case_id, detail, id`,
  );
  // Parameters: team, me, team, me.
  const teamPending = db.prepare<[string, string, string, string], PendingRow>(
    `SELECT id, day, case_id, action, detail FROM audit_pending p
     WHERE ${caseInTeam('p.case_id')}
       AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = p.case_id AND x.investigator_id = ?)
     UNION ALL
     SELECT ${IMPLIED_COLUMNS} FROM ${IMPLIED_FROM_TEAM} AND ct.received_day >= (${IMPLIED_SINCE})
       AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = c.id AND x.investigator_id = ?)
     ORDER BY day DESC, action, case_id, detail, id`,
  );

  const seal = writeTransaction(db, (today: string): number => {
    const rows = pendingBefore.all(today, today);
    let sealed = 0;
    for (const row of rows) {
      if (row.id === '' ? clearImplied.run(row.case_id).changes !== 1 : deletePending.run(row.id).changes !== 1) continue;
      append({ day: row.day, at: null, actor: 'reporter', investigatorId: null, caseId: row.case_id, action: row.action, detail: JSON.parse(row.detail) as AuditDetail });
      sealed += 1;
    }
    markSealed.run(today);
    return sealed;
  });

  return {
    /** Keeps a reporter's event for the next batch (`sealPending`); dated by the day only. */
    appendPending(event: PendingAuditEvent): void {
      insertPending.run(randomId(), event.day, event.caseId, event.action, canonicalJson(event.detail));
    },
    /**
     * A new case's "received" event on `day`: the detail to keep in its row (`cases.create`), which implies
     * the event until the batch (migration 024); or, for a day the batch may have passed already, undefined
     * once it is kept as a pending row. Call in the transaction that creates the case.
     */
    receivedEvent(caseId: string, day: string, detail: AuditDetail): string | undefined {
      if (day >= (impliedSince.get()?.day ?? '')) return canonicalJson(detail);
      insertPending.run(randomId(), day, caseId, 'case.received', canonicalJson(detail));
      return undefined;
    },
    /**
     * The daily batch: appends every pending event of a day before `today` to the chain, in canonical order,
     * and forgets them (the pending rows, the cases' implied events), in one transaction. Returns how many were sealed.
     */
    sealPending(today: string): number {
      return seal(today);
    },
    /** After a whole batch in steps (./audit-seal-queue.ts): implied events are looked for from the day before `today` on. */
    markImpliedSealed(today: string): void {
      markSealed.run(today);
    },
    /** Pending (not yet sealed) events the viewer may see: of their team's cases (every case for teamId null), never of a case they are excluded from. */
    pendingFor(viewer: { investigatorId: string; teamId: string | null }): PendingAuditEvent[] {
      const rows = viewer.teamId === null
        ? allPending.all(viewer.investigatorId, viewer.investigatorId)
        : teamPending.all(viewer.teamId, viewer.investigatorId, viewer.teamId, viewer.investigatorId);
      return rows.map((r) => ({ day: r.day, caseId: r.case_id, action: r.action, detail: JSON.parse(r.detail) as AuditDetail }));
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;

/**
 * Verifies the chain of the database file at `path`, opened read-only (no
 * migration, no pragma that writes): for `npm run audit:verify`. Throws if
 * the file does not exist or is not an Ombud database.
 */
export function verifyAuditFile(path: string): ChainCheck {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return createAuditRepo(db).verify();
  } finally {
    db.close();
  }
}
