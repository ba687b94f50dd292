/**
 * Where investigators want their notices (migration 006), and the day each
 * one's deadline digest was last handled.
 */
import type { Db } from './database.ts';

export interface NotificationAddress {
  investigatorId: string;
  email: string;
  /** Encrypt the body to the investigator's public key. */
  encrypt: boolean;
  lastDigestDay: string | null;
}

interface Row {
  investigator_id: string;
  email: string;
  encrypt: number;
  last_digest_day: string | null;
}

const toAddress = (r: Row): NotificationAddress => ({
  investigatorId: r.investigator_id,
  email: r.email,
  encrypt: r.encrypt === 1,
  lastDigestDay: r.last_digest_day,
});

export function createNotificationsRepo(db: Db) {
  const byInvestigator = db.prepare<[string], Row>(
    `SELECT investigator_id, email, encrypt, last_digest_day FROM investigator_notifications WHERE investigator_id = ?`,
  );
  // Admitted only: the digest names the team's cases, and a pending member reads none.
  const ofActive = db.prepare<[], Row>(
    `SELECT n.investigator_id, n.email, n.encrypt, n.last_digest_day
       FROM investigator_notifications n JOIN investigators i ON i.id = n.investigator_id
      WHERE i.disabled = 0 AND i.admitted_day IS NOT NULL ORDER BY n.investigator_id`,
  );
  const upsert = db.prepare(
    `INSERT INTO investigator_notifications (investigator_id, email, encrypt) VALUES (?, ?, ?)
     ON CONFLICT (investigator_id) DO UPDATE SET email = excluded.email, encrypt = excluded.encrypt`,
  );
  const remove = db.prepare(`DELETE FROM investigator_notifications WHERE investigator_id = ?`);
  const claim = db.prepare(
    `UPDATE investigator_notifications SET last_digest_day = ?
      WHERE investigator_id = ? AND (last_digest_day IS NULL OR last_digest_day < ?)`,
  );
  const restore = db.prepare(
    `UPDATE investigator_notifications SET last_digest_day = ? WHERE investigator_id = ? AND last_digest_day = ?`,
  );

  return {
    find(investigatorId: string): NotificationAddress | undefined {
      const row = byInvestigator.get(investigatorId);
      return row && toAddress(row);
    },
    /** Addresses of investigators who are not disabled. */
    listActive(): NotificationAddress[] {
      return ofActive.all().map(toAddress);
    },
    /** Sets (or, with `email: null`, removes) an investigator's address. */
    set(investigatorId: string, setting: { email: string; encrypt: boolean } | null): void {
      if (setting === null) remove.run(investigatorId);
      else upsert.run(investigatorId, setting.email, setting.encrypt ? 1 : 0);
    },
    /**
     * Compare-and-set: marks `day`'s digest as handled for this investigator;
     * false when it already was (another tick, or before a restart).
     */
    claimDigest(investigatorId: string, day: string): boolean {
      return claim.run(day, investigatorId, day).changes === 1;
    },
    /** Gives a claim back (the mail could not be sent) so that a later tick tries again. */
    releaseDigest(investigatorId: string, day: string, previous: string | null): void {
      restore.run(previous, investigatorId, day);
    },
  };
}

export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
