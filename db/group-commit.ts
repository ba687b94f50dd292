/**
 * Group commit: the writes that arrive in the same turn of the event loop
 * share one transaction and one COMMIT (one fsync), each in a savepoint of
 * its own.
 *
 * A report's commit costs more than its checks and inserts: the fsync, the
 * log's header and the database's first page written again, and SQLite's
 * page cache walked at the end of each transaction (docs/performance.md,
 * "Twenty-fourth run"). Under load, while one commit waits for the disk,
 * the next requests arrive; they are answered after one commit, not one each.
 *
 * What each caller sees is what a transaction of its own gives:
 *
 * - `work` runs synchronously, inside the shared transaction, in a savepoint:
 *   if it throws, its writes are rolled back and its promise is rejected with
 *   its error; the other works of the group are not touched;
 * - the promise settles only after the COMMIT has returned (with
 *   `synchronous = FULL`, on disk): nothing is answered before it is stored;
 * - if the transaction itself fails (COMMIT, or an error that ends the
 *   transaction, such as a full disk), every work of the group is rejected
 *   with that error and nothing of any of them is stored;
 * - works run in the order they were queued, so a later one sees an earlier
 *   one's writes, as it would after that one's commit.
 *
 * Nothing else runs on the connection between the BEGIN and the COMMIT: the
 * group runs in one synchronous call, at the next turn of the event loop
 * (setImmediate, after the I/O callbacks that queued it). An idle server's
 * single report waits for nothing but that turn.
 */
import { writeTransaction, type Db } from './database.ts';

/** More than this many queued works are split across turns: a bound on how long one group holds the writer. */
export const GROUP_LIMIT = 64;

export type GroupTransaction = <T>(work: () => T) => Promise<T>;

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function groupCommit(db: Db, limit = GROUP_LIMIT): GroupTransaction {
  // Nested in the group's transaction, better-sqlite3's transaction is a savepoint: released when the work
  // returns, rolled back to (and released) when it throws.
  const savepoint = writeTransaction(db, (work: () => unknown) => work());
  const group = writeTransaction(db, (works: readonly Queued[], outcomes: Outcome[]) => {
    for (const { work } of works) {
      try {
        outcomes.push({ ok: true, value: savepoint(work) });
      } catch (error) {
        // An error that ended the transaction (SQLite rolls back on some I/O and full-disk errors): the works
        // before this one are gone with it, and those after would run outside any transaction.
        if (!db.inTransaction) throw error;
        outcomes.push({ ok: false, error });
      }
    }
  });

  let queue: Queued[] = [];
  const run = () => {
    const works = queue.slice(0, limit);
    queue = queue.slice(works.length);
    if (queue.length > 0) setImmediate(run);
    const outcomes: Outcome[] = [];
    try {
      // Inside a transaction left open, the group would be a savepoint, and its works answered before any COMMIT.
      if (db.inTransaction) throw new Error('a transaction is open on the connection: the group cannot commit');
      group(works, outcomes);
    } catch (error) {
      for (const w of works) w.reject(error);
      return;
    }
    works.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  };

  return <T>(work: () => T) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (queue.length === 1) setImmediate(run);
    });
}
