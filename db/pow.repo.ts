/**
 * Spent proof-of-work challenges that bought no report: upload tickets and
 * refused reports. A report's challenge is recorded by its case's id instead
 * (server/reporter/pow-challenge.ts `caseIdOfChallenge`). Kept only until the
 * day after the challenge expired, and dated to the day.
 */
import { writeTransaction, type Db } from './database.ts';

export function createPowRepo(db: Db) {
  // WITHOUT ROWID, keyed by the random challenge id (migration 020): no insertion order is stored.
  const insert = db.prepare(
    `INSERT INTO used_pow (challenge_id, expires_day) VALUES (?, ?) ON CONFLICT (challenge_id) DO NOTHING`,
  );
  const purge = db.prepare(`DELETE FROM used_pow WHERE expires_day < ?`);
  const find = db.prepare<[string], { n: number }>(`SELECT 1 AS n FROM used_pow WHERE challenge_id = ?`);
  // The expiry column has no index: the DELETE scans every spent challenge. Once a day is
  // enough (a challenge lives ten minutes; rows are kept until the day after it expired).
  let forgotBefore: string | undefined;
  const spendOnce = writeTransaction(db, (challengeId: string, expiresDay: string, today: string): boolean => {
    if (forgotBefore !== today) {
      purge.run(today);
      forgotBefore = today;
    }
    return insert.run(challengeId, expiresDay).changes === 1;
  });

  return {
    /** Whether the challenge was recorded as spent (and not yet forgotten). Writes nothing. */
    recorded(challengeId: string): boolean {
      return find.get(challengeId) !== undefined;
    },
    /**
     * Records the challenge as spent. Returns false if it already was.
     * Also forgets challenges that expired before `today`.
     */
    spend(challengeId: string, expiresDay: string, today: string): boolean {
      // A spent challenge need not survive a power cut on its own: losing the
      // record could at most let that challenge buy one more report within
      // its ten minutes, and any later durable commit (the case itself) writes
      // it to disk with it. So this commit skips the fsync that
      // synchronous=FULL would add; the case commit keeps FULL.
      if (db.inTransaction) return spendOnce(challengeId, expiresDay, today); // the pragma cannot change there
      db.pragma('synchronous = NORMAL');
      try {
        return spendOnce(challengeId, expiresDay, today);
      } finally {
        db.pragma('synchronous = FULL');
      }
    },
  };
}

export type PowRepo = ReturnType<typeof createPowRepo>;
