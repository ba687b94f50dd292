import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate, openDatabase, schemaVersion } from './database.ts';
import type { Db } from './database.ts';
import { createCasesRepo } from './cases.repo.ts';
import { createChannelsRepo } from './channels.repo.ts';
import { caseRecord, DAY, seedOrganisation } from './fixtures.ts';
import type { Repositories } from './index.ts';
import { createInvestigatorsRepo } from './investigators.repo.ts';
import { createMessagesRepo } from './messages.repo.ts';
import { createTeamsRepo } from './teams.repo.ts';

const opened: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  opened.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-db-'));
  dirs.push(dir);
  return join(dir, 'ombud.sqlite');
}

describe('openDatabase', () => {
  it('migrates an empty database to the latest version', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    expect(schemaVersion(db)).toBe(loadMigrations().at(-1)?.version);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['cases', 'messages', 'audit_events', 'used_pow', 'setup_tokens']));
  });

  it('sets the durability pragmas on a file', () => {
    const db = openDatabase(tempFile());
    opened.push(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('applies nothing when reopened at the latest version', () => {
    const path = tempFile();
    openDatabase(path).close();
    const db = openDatabase(path, { migrate: false });
    opened.push(db);
    expect(migrate(db)).toEqual([]);
  });

  it('upgrades from every earlier version', () => {
    const all = loadMigrations();
    for (let from = 0; from < all.length; from += 1) {
      const db = openDatabase(':memory:', { migrations: all.slice(0, from) });
      opened.push(db);
      expect(schemaVersion(db)).toBe(from);
      expect(migrate(db, all)).toEqual(all.slice(from).map((m) => m.version));
      expect(schemaVersion(db)).toBe(all.length);
    }
  });

  it('rolls back a failing migration whole', () => {
    const db = openDatabase(':memory:', { migrations: [] });
    opened.push(db);
    const broken = [{ version: 1, name: '001-broken.sql', sql: 'CREATE TABLE a (x INTEGER); SELECT nope FROM missing;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'a'`).get()).toEqual({ n: 0 });
  });

  it('refuses a database newer than the build', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer than this build/);
  });
});

describe('migration 014: reporter rows lose their insertion order', () => {
  it('renumbers existing messages per case from a random base, keeping each case’s order, and randomizes rowids', () => {
    const all = loadMigrations();
    const db = openDatabase(':memory:', { migrations: all.filter((m) => m.version < 14) });
    const repos = { teams: createTeamsRepo(db), channels: createChannelsRepo(db), investigators: createInvestigatorsRepo(db) };
    const { channel } = seedOrganisation(repos as unknown as Repositories);
    const cases = createCasesRepo(db);
    cases.create(caseRecord(channel.slug, { id: 'case-a', lookupHash: 'la' }), [channel.teamIds[0]!]);
    cases.create(caseRecord(channel.slug, { id: 'case-b', lookupHash: 'lb' }), [channel.teamIds[0]!]);
    // As versions before 14 wrote them: one global counter across cases.
    const insert = db.prepare(`INSERT INTO messages (id, case_id, author, investigator_id, day, body) VALUES (?, ?, 'reporter', NULL, ?, x'00')`);
    for (const [id, caseId] of [['a1', 'case-a'], ['b1', 'case-b'], ['a2', 'case-a'], ['b2', 'case-b']] as const) insert.run(id, caseId, DAY);
    expect(db.prepare(`SELECT seq FROM messages ORDER BY seq`).pluck().all()).toEqual([1, 2, 3, 4]);
    db.exec(`INSERT INTO used_pow (challenge_id, expires_day) VALUES ('c1', '${DAY}'), ('c2', '${DAY}')`);

    migrate(db, all.filter((m) => m.version <= 14));
    // Until migration 020 made used_pow WITHOUT ROWID (no rowid at all).
    expect((db.prepare(`SELECT rowid FROM used_pow`).pluck().all() as number[]).every((r) => r >= 2 ** 40)).toBe(true);
    migrate(db, all);
    const seq = (id: string) => db.prepare(`SELECT seq FROM messages WHERE id = ?`).pluck().get(id) as number;
    expect(seq('a2')).toBe(seq('a1') + 1);
    expect(seq('b2')).toBe(seq('b1') + 1);
    expect(Math.min(seq('a1'), seq('b1'))).toBeGreaterThanOrEqual(2 ** 40);
    expect(Math.max(seq('a2'), seq('b2'))).toBeLessThan(2 ** 53);
    expect(createMessagesRepo(db).listForCase('case-a').map((m) => m.id)).toEqual(['a1', 'a2']);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'audit_pending'`).pluck().get()).toBe('audit_pending');
    db.close();
  });
});

describe('migration 020: fewer pages per report', () => {
  it('keeps every case team, spent challenge and pending event, in tables that store no insertion order', () => {
    const all = loadMigrations();
    const db = openDatabase(':memory:', { migrations: all.filter((m) => m.version < 20) });
    opened.push(db);
    const repos = { teams: createTeamsRepo(db), channels: createChannelsRepo(db), investigators: createInvestigatorsRepo(db) };
    const { channel } = seedOrganisation(repos as unknown as Repositories);
    const teamA = channel.teamIds[0]!;
    const teamB = seedOrganisation(repos as unknown as Repositories, 'b').team.id;
    const cases = createCasesRepo(db);
    cases.create(caseRecord(channel.slug, { id: 'case-a', lookupHash: 'la' }), [teamA]);
    cases.create(caseRecord(channel.slug, { id: 'case-b', lookupHash: 'lb' }), [teamA, teamB]);
    db.exec(`INSERT INTO used_pow (challenge_id, expires_day) VALUES ('c1', '${DAY}'), ('c2', '${DAY}')`);
    db.exec(`INSERT INTO audit_pending (id, day, case_id, action, detail) VALUES ('p1', '${DAY}', 'case-a', 'case.received', '{}')`);
    const teamsBefore = db.prepare(`SELECT case_id, team_id FROM case_teams ORDER BY case_id, team_id`).all();

    migrate(db, all);
    expect(db.prepare(`SELECT case_id, team_id FROM case_teams ORDER BY case_id, team_id`).all()).toEqual(teamsBefore);
    expect(cases.teamIdsOf('case-b')).toEqual([teamA, teamB].sort());
    expect(db.prepare(`SELECT challenge_id, expires_day FROM used_pow ORDER BY challenge_id`).all())
      .toEqual([{ challenge_id: 'c1', expires_day: DAY }, { challenge_id: 'c2', expires_day: DAY }]);
    expect(db.prepare(`SELECT id FROM audit_pending`).pluck().all()).toEqual(['p1']);
    for (const table of ['case_teams', 'used_pow']) {
      expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(table)).toMatch(/WITHOUT ROWID/);
      expect(() => db.prepare(`SELECT rowid FROM ${table}`).all()).toThrow();
    }
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'audit_pending_by_day'`).get()).toBeUndefined();
    // A case still takes its teams with it, and a team's list is still answered by the team index alone.
    db.prepare(`DELETE FROM cases WHERE id = 'case-b'`).run();
    expect(db.prepare(`SELECT case_id FROM case_teams`).pluck().all()).toEqual(['case-a']);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT case_id FROM case_teams WHERE team_id = ?`).all(teamA) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX case_teams_by_team/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
