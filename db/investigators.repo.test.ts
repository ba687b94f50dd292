import { describe, expect, it } from 'vitest';
import { createRepositories, loadMigrations, migrate, openDatabase } from './index.ts';
import { DAY, investigatorRecord, seedOrganisation } from './fixtures.ts';

describe('membership states (migration 012)', () => {
  it('keeps investigators from before version 12 admitted, on the day they were created', () => {
    const all = loadMigrations();
    const before = all.filter((m) => m.version < 12);
    const db = openDatabase(':memory:', { migrations: before });
    db.exec(`INSERT INTO teams (id, name, recovery_public_key, recovery_fingerprint, recovery_key_ids, created_day)
             VALUES ('team-old-0123456789', 'Old team', 'key', '${'ff'.repeat(20)}', '[]', '${DAY}')`);
    db.exec(`INSERT INTO investigators (id, team_id, username, display_name, role, password_salt, kdf_algorithm, kdf_memory_kib,
               kdf_iterations, kdf_parallelism, verifier_hash, verifier_salt, verifier_params, public_key, fingerprint,
               encryption_key_ids, wrapped_private_key, created_day)
             VALUES ('inv-old-0123456789', 'team-old-0123456789', 'old', 'Old', 'admin', 's', 'argon2id', 1, 1, 1, 'h', 's', 'p',
               'key', '${'ee'.repeat(20)}', '[]', 'w', '${DAY}')`);
    const team = { id: 'team-old-0123456789' };
    const investigator = { id: 'inv-old-0123456789' };
    migrate(db, all);
    const repos = createRepositories(db);
    expect(repos.investigators.find(investigator.id)?.admittedDay).toBe(DAY);
    expect(repos.investigators.activeOfTeam(team.id).map((i) => i.id)).toEqual([investigator.id]);
    db.close();
  });

  it('leaves a pending member out of the recipients until admitted with the same fingerprint', () => {
    const db = openDatabase(':memory:');
    const repos = createRepositories(db);
    const { team, investigator } = seedOrganisation(repos);
    const pending = repos.investigators.create({ ...investigatorRecord(team.id, 'p'), role: 'investigator', admittedDay: null });
    expect(repos.investigators.activeOfTeam(team.id).map((i) => i.id)).toEqual([investigator.id]);
    expect(repos.investigators.ofTeam(team.id).map((i) => i.id).sort()).toEqual([investigator.id, pending.id].sort());
    expect(repos.investigators.admit(pending.id, 'not-the-fingerprint', 'certified key', '2025-03-20')).toBe(false);
    expect(repos.investigators.admit(pending.id, pending.fingerprint, 'certified key', '2025-03-20')).toBe(true);
    expect(repos.investigators.find(pending.id)).toMatchObject({ admittedDay: '2025-03-20', publicKey: 'certified key' });
    expect(repos.investigators.activeOfTeam(team.id)).toHaveLength(2);
    // Admitting again (certifying anew) keeps the day.
    repos.investigators.admit(pending.id, pending.fingerprint, 'certified again', '2025-04-01');
    expect(repos.investigators.find(pending.id)?.admittedDay).toBe('2025-03-20');
    db.close();
  });
});
