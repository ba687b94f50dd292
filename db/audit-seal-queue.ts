/**
 * The daily batch of reporter events (db/audit.repo.ts `sealPending`) in
 * bounded steps, for the server's purge (server/retention/purge.ts).
 *
 * The canonical order (day, action, case, detail, id) has no index: the
 * pending table is written by every report, and an index there cost each
 * report a page (migration 020 dropped it). So the one-go batch reads and
 * sorts every pending event of earlier days at once: ≈ 25–35 µs an event
 * sealed (10,000 in 349 ms), a day's reporter events in one step.
 *
 * Here, first `queuePending` copies the pending events of earlier days into
 * a temporary table of this connection kept in canonical order, a range of
 * their random ids at a time; then `sealQueued` appends the first few of
 * that order to the chain, each in the same transaction as its removal from
 * the pending table. An event whose pending row has gone already (sealed by
 * another process's purge in between) is dropped from the queue, not
 * appended twice. Between two steps the chain may take timed events of
 * today: the reporter events still enter in canonical order, after every
 * timed event of their own day, and where a step ends says nothing of them.
 */
import { writeTransaction, type Db } from './database.ts';
import { CLEAR_IMPLIED, IMPLIED_COLUMNS, IMPLIED_FROM_TEAM, IMPLIED_SINCE } from './audit-implied.ts';

/** Where `queueImplied` goes on: a team, and the last (day, case) of its range queued. */
export interface ImpliedCursor {
  team: string;
  day: string;
  caseId: string;
}

/** A reporter event as the chain takes it (db/audit.repo.ts NewAuditEvent; not imported: that module imports this one). */
interface SealedEvent {
  day: string;
  at: null;
  actor: 'reporter';
  investigatorId: null;
  caseId: string;
  action: string;
  detail: Record<string, string | number | boolean | null>;
}

interface QueuedRow {
  day: string;
  action: string;
  case_id: string;
  detail: string;
  id: string;
}

export function createSealQueue(db: Db, append: (event: SealedEvent) => unknown) {
  // Made on first use: a connection that never seals in steps has no temporary table.
  let statements: ReturnType<typeof prepare> | undefined;
  function prepare() {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS seal_queue (
      day TEXT NOT NULL, action TEXT NOT NULL, case_id TEXT NOT NULL, detail TEXT NOT NULL, id TEXT NOT NULL,
      PRIMARY KEY (day, action, case_id, detail, id)
    ) WITHOUT ROWID`);
    return {
      // The end of the next range of at most `limit` pending ids after the cursor (by the table's key).
      rangeEnd: db.prepare<[string, number], { last: string | null }>(
        `SELECT MAX(id) AS last FROM (SELECT id FROM audit_pending WHERE id > ? ORDER BY id LIMIT ?)`,
      ),
      // Parameters: after, last, today.
      copyRange: db.prepare(
        `INSERT OR IGNORE INTO temp.seal_queue (day, action, case_id, detail, id)
         SELECT day, action, case_id, detail, id FROM audit_pending WHERE id > ? AND id <= ? AND day < ?`,
      ),
      first: db.prepare<[number], QueuedRow>(
        `SELECT day, action, case_id, detail, id FROM temp.seal_queue ORDER BY day, action, case_id, detail, id LIMIT ?`,
      ),
      unqueue: db.prepare(`DELETE FROM temp.seal_queue WHERE day = ? AND action = ? AND case_id = ? AND detail = ? AND id = ?`),
      deletePending: db.prepare(`DELETE FROM audit_pending WHERE id = ?`),
      clearImplied: db.prepare(CLEAR_IMPLIED),
      // The implied events (migration 024), one team's range of case_teams (migration 027) at a time, from the day the
      // last batch left. Parameters: after team.
      nextTeam: db.prepare<[string], { id: string | null }>(`SELECT MIN(id) AS id FROM teams WHERE id > ?`),
      // The end of the next range of at most `limit` entries of a team before today. Parameters: team,
      // after day, after case, today, limit.
      impliedRangeEnd: db.prepare<[string, string, string, string, number], { received_day: string; case_id: string }>(
        `SELECT received_day, case_id FROM (
           SELECT received_day, case_id FROM case_teams
           WHERE team_id = ? AND (received_day, case_id) > (?, ?) AND received_day < ?
           ORDER BY received_day, case_id LIMIT ?
         ) ORDER BY received_day DESC, case_id DESC LIMIT 1`,
      ),
      // Parameters: team, after day, after case, last day, last case.
      copyImplied: db.prepare(
        `INSERT OR IGNORE INTO temp.seal_queue (day, action, case_id, detail, id)
         SELECT day, action, case_id, detail, id FROM (SELECT ${IMPLIED_COLUMNS} FROM ${IMPLIED_FROM_TEAM}
           AND (ct.received_day, ct.case_id) > (?, ?) AND (ct.received_day, ct.case_id) <= (?, ?))`,
      ),
      since: db.prepare<[], { day: string }>(IMPLIED_SINCE),
    };
  }
  const sealFirst = writeTransaction(db, (limit: number): { looked: number; sealed: number } => {
    const s = statements!;
    const rows = s.first.all(limit);
    let sealed = 0;
    for (const row of rows) {
      s.unqueue.run(row.day, row.action, row.case_id, row.detail, row.id);
      // Sealed in between by another process: its pending row is gone, or its case's event cleared.
      if ((row.id === '' ? s.clearImplied.run(row.case_id) : s.deletePending.run(row.id)).changes !== 1) continue;
      append({ day: row.day, at: null, actor: 'reporter', investigatorId: null, caseId: row.case_id, action: row.action, detail: JSON.parse(row.detail) as SealedEvent['detail'] });
      sealed += 1;
    }
    return { looked: rows.length, sealed };
  });

  return {
    /**
     * Queues the pending events of days before `today` among the next `limit` pending ids after `after`
     * ('' to begin). Returns the cursor for the next call, or undefined once every id has been looked at.
     */
    queuePending(today: string, after: string, limit: number): string | undefined {
      statements ??= prepare();
      const last = statements.rangeEnd.get(after, limit)?.last ?? null;
      if (last === null) return undefined;
      statements.copyRange.run(after, last, today);
      return last;
    },
    /**
     * Queues the cases' implied "received" events of days before `today` (migration 024) among the next
     * `limit` entries of the team index after `after` (undefined to begin). Returns the cursor for the next
     * call, or undefined once every team's range has been looked at.
     */
    queueImplied(today: string, after: ImpliedCursor | undefined, limit: number): ImpliedCursor | undefined {
      statements ??= prepare();
      const s = statements;
      let cursor = after;
      if (!cursor) {
        const first = s.nextTeam.get('')?.id ?? null;
        if (first === null) return undefined;
        cursor = { team: first, day: s.since.get()?.day ?? '', caseId: '' };
      }
      const last = s.impliedRangeEnd.get(cursor.team, cursor.day, cursor.caseId, today, limit);
      if (last) {
        s.copyImplied.run(cursor.team, cursor.day, cursor.caseId, last.received_day, last.case_id);
        return { team: cursor.team, day: last.received_day, caseId: last.case_id };
      }
      const next = s.nextTeam.get(cursor.team)?.id ?? null;
      return next === null ? undefined : { team: next, day: s.since.get()?.day ?? '', caseId: '' };
    },
    /**
     * Seals the first `limit` queued events in canonical order, in one transaction. Returns how many it
     * looked at (0: the queue is empty); fewer may have been appended (see above).
     */
    sealQueued(limit: number): { looked: number; sealed: number } {
      statements ??= prepare();
      return sealFirst(limit);
    },
  };
}
