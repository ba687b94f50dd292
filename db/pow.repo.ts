/**
 * Spent proof-of-work challenges, so that one solution buys one report.
 * Kept only until the day after the challenge expired, and dated to the day.
 */
import type { Db } from './database.ts';

export function createPowRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO used_pow (challenge_id, expires_day) VALUES (?, ?) ON CONFLICT (challenge_id) DO NOTHING`,
  );
  const purge = db.prepare(`DELETE FROM used_pow WHERE expires_day < ?`);

  return {
    /**
     * Records the challenge as spent. Returns false if it already was.
     * Also forgets challenges that expired before `today`.
     */
    spend(challengeId: string, expiresDay: string, today: string): boolean {
      purge.run(today);
      return insert.run(challengeId, expiresDay).changes === 1;
    },
  };
}

export type PowRepo = ReturnType<typeof createPowRepo>;
