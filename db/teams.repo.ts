/**
 * Teams (a brand's CSR team, a supplier's grievance committee) and their
 * offline recovery keys.
 */
import type { Db } from './database.ts';
import { decodeKeyIds, encodeKeyIds } from './columns.ts';

export interface Team {
  id: string;
  name: string;
  recoveryPublicKey: string;
  recoveryFingerprint: string;
  recoveryKeyIds: string[];
  ackDays: number;
  feedbackMonths: number;
  createdDay: string;
  /** The team created at first setup: its administrators administer the deployment (migration 009). */
  runsDeployment: boolean;
}

export type NewTeam = Omit<Team, 'ackDays' | 'feedbackMonths' | 'runsDeployment'> &
  Partial<Pick<Team, 'ackDays' | 'feedbackMonths' | 'runsDeployment'>>;

interface TeamRow {
  id: string;
  name: string;
  recovery_public_key: string;
  recovery_fingerprint: string;
  recovery_key_ids: string;
  ack_days: number;
  feedback_months: number;
  created_day: string;
  runs_deployment: number;
}

const toTeam = (row: TeamRow): Team => ({
  id: row.id,
  name: row.name,
  recoveryPublicKey: row.recovery_public_key,
  recoveryFingerprint: row.recovery_fingerprint,
  recoveryKeyIds: decodeKeyIds(row.recovery_key_ids),
  ackDays: row.ack_days,
  feedbackMonths: row.feedback_months,
  createdDay: row.created_day,
  runsDeployment: row.runs_deployment === 1,
});

const COLUMNS = `id, name, recovery_public_key, recovery_fingerprint, recovery_key_ids, ack_days, feedback_months, created_day, runs_deployment`;

export function createTeamsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO teams (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string], TeamRow>(`SELECT ${COLUMNS} FROM teams WHERE id = ?`);
  const all = db.prepare<[], TeamRow>(`SELECT ${COLUMNS} FROM teams ORDER BY name, id`);
  const deadlines = db.prepare(`UPDATE teams SET ack_days = ?, feedback_months = ? WHERE id = ?`);

  return {
    create(team: NewTeam): Team {
      const full: Team = { ackDays: 7, feedbackMonths: 3, runsDeployment: false, ...team };
      insert.run(
        full.id,
        full.name,
        full.recoveryPublicKey,
        full.recoveryFingerprint,
        encodeKeyIds(full.recoveryKeyIds),
        full.ackDays,
        full.feedbackMonths,
        full.createdDay,
        full.runsDeployment ? 1 : 0,
      );
      return full;
    },
    find(id: string): Team | undefined {
      const row = byId.get(id);
      return row && toTeam(row);
    },
    list(): Team[] {
      return all.all().map(toTeam);
    },
    /** Deadlines for cases received from now on; existing cases keep theirs. */
    setDeadlines(id: string, ackDays: number, feedbackMonths: number): void {
      deadlines.run(ackDays, feedbackMonths, id);
    },
  };
}

export type TeamsRepo = ReturnType<typeof createTeamsRepo>;
