import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate, openDatabase, schemaVersion, WAL_CHECKPOINT_PAGES } from './database.ts';
import type { Db } from './database.ts';
import { createCasesRepo } from './cases.repo.ts';
import { createChannelsRepo } from './channels.repo.ts';
import { caseRecord, DAY, seedOrganisation } from './fixtures.ts';
import type { Repositories } from './index.ts';
import { createInvestigatorsRepo } from './investigators.repo.ts';
import { createMessagesRepo } from './messages.repo.ts';
import { createTeamsRepo } from './teams.repo.ts';
import { createUploadsRepo } from './uploads.repo.ts';
import { createRetentionRepo } from './retention.repo.ts';
import Database from 'better-sqlite3';

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

/** A case as the versions before 021 wrote it (the repository of this build writes columns they lack): the row, its teams, its first stage. */
function insertOldCase(db: Db, channelSlug: string, id: string, teamIds: string[], history: Array<[stage: string, day: string]> = [['received', DAY]]) {
  db.prepare(
    `INSERT INTO cases (id, channel_slug, stage, received_day, acknowledge_by_day, feedback_months, last_activity_day,
       lookup_hash, verifier_hash, reporter_public_key, reporter_key_ids, wrapped_reporter_key, report)
     VALUES (?, ?, ?, ?, '2025-03-21', 3, ?, ?, 'v', 'k', '[]', 'w', x'00')`,
  ).run(id, channelSlug, history.at(-1)![0], DAY, DAY, `lookup-${id}`);
  for (const teamId of teamIds) db.prepare(`INSERT INTO case_teams (case_id, team_id) VALUES (?, ?)`).run(id, teamId);
  for (const [stage, day] of history) db.prepare(`INSERT INTO stage_history (case_id, stage, day) VALUES (?, ?, ?)`).run(id, stage, day);
}

/** A database migrated up to just before `version`, with one team, its channel and an investigator (seedOrganisation). */
function organisationBefore(version: number) {
  const all = loadMigrations();
  const db = openDatabase(':memory:', { migrations: all.filter((m) => m.version < version) });
  opened.push(db);
  const repos = { teams: createTeamsRepo(db), channels: createChannelsRepo(db), investigators: createInvestigatorsRepo(db) };
  return { all, db, repos: repos as unknown as Repositories, ...seedOrganisation(repos as unknown as Repositories) };
}

/** A database migrated up to just before `version`, with two teams and two cases as the old versions wrote them: case-a (team A), case-b (teams A and B). */
function beforeMigration(version: number) {
  const { all, db, repos, channel } = organisationBefore(version);
  const teamA = channel.teamIds[0]!;
  const teamB = seedOrganisation(repos, 'b').team.id;
  insertOldCase(db, channel.slug, 'case-a', [teamA]);
  insertOldCase(db, channel.slug, 'case-b', [teamA, teamB]);
  return { all, db, channel, teamA, teamB };
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
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CHECKPOINT_PAGES);
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
    insertOldCase(db, channel.slug, 'case-a', [channel.teamIds[0]!]);
    insertOldCase(db, channel.slug, 'case-b', [channel.teamIds[0]!]);
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
    const { all, db, channel, teamA, teamB } = beforeMigration(20);
    db.exec(`INSERT INTO used_pow (challenge_id, expires_day) VALUES ('c1', '${DAY}'), ('c2', '${DAY}')`);
    db.exec(`INSERT INTO audit_pending (id, day, case_id, action, detail) VALUES ('p1', '${DAY}', 'case-a', 'case.received', '{}')`);
    const teamsBefore = db.prepare(`SELECT case_id, team_id FROM case_teams ORDER BY case_id, team_id`).all();

    migrate(db, all.filter((m) => m.version <= 20));
    expect(db.prepare(`SELECT case_id, team_id FROM case_teams ORDER BY case_id, team_id`).all()).toEqual(teamsBefore);
    expect(db.prepare(`SELECT team_id FROM case_teams WHERE case_id = 'case-b' ORDER BY team_id`).pluck().all()).toEqual([teamA, teamB].sort());
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

describe('migration 021: the first stage implied by the case row', () => {
  it('drops only a first history row the case row implies, and every history reads as before', () => {
    const { all, db, channel, investigator } = organisationBefore(21);
    const team = channel.teamIds[0]!;
    insertOldCase(db, channel.slug, 'case-new', [team]);
    insertOldCase(db, channel.slug, 'case-worked', [team], [['received', DAY], ['acknowledged', '2025-03-15'], ['closed', '2025-04-01']]);
    db.prepare(`UPDATE stage_history SET reason = 'done', investigator_id = ? WHERE case_id = 'case-worked' AND stage = 'closed'`).run(investigator.id);
    // Made in another stage, or received on another day than its first row says: nothing is implied for it.
    insertOldCase(db, channel.slug, 'case-made-closed', [team], [['closed', DAY]]);
    insertOldCase(db, channel.slug, 'case-odd-day', [team], [['received', '2025-03-13']]);
    const history = (id: string) => db.prepare(
      `SELECT h.stage, h.day, h.reason, i.display_name AS by_name FROM stage_history h
       LEFT JOIN investigators i ON i.id = h.investigator_id WHERE h.case_id = ? ORDER BY h.seq`,
    ).all(id).map((r) => { const h = r as { stage: string; day: string; reason: string | null; by_name: string | null }; return { stage: h.stage, day: h.day, reason: h.reason, byName: h.by_name }; });
    const ids = ['case-new', 'case-worked', 'case-made-closed', 'case-odd-day'];
    const before = Object.fromEntries(ids.map((id) => [id, history(id)]));

    migrate(db, all);
    const cases = createCasesRepo(db);
    for (const id of ids) expect(cases.history(id), id).toEqual(before[id]);
    expect(db.prepare(`SELECT id FROM cases WHERE first_stage_implied = 1 ORDER BY id`).pluck().all()).toEqual(['case-new', 'case-worked']);
    expect(db.prepare(`SELECT case_id, stage FROM stage_history ORDER BY case_id, seq`).all()).toEqual([
      { case_id: 'case-made-closed', stage: 'closed' },
      { case_id: 'case-odd-day', stage: 'received' },
      { case_id: 'case-worked', stage: 'acknowledged' },
      { case_id: 'case-worked', stage: 'closed' },
    ]);
    // And a stage change after the upgrade follows the implied entry.
    expect(cases.changeStage({ caseId: 'case-new', from: 'received', to: 'acknowledged', day: '2025-03-16', reason: null, investigatorId: investigator.id, acknowledgedDay: '2025-03-16', closedDay: null })).toBe(true);
    expect(cases.history('case-new').map((h) => [h.stage, h.day])).toEqual([['received', DAY], ['acknowledged', '2025-03-16']]);
  });
});

describe('migration 022: a team\'s newest cases without reading every case', () => {
  it('gives every case team its case\'s received day, and orders the team index by it', () => {
    const { all, db, teamA, teamB } = beforeMigration(22);
    db.prepare(`UPDATE cases SET received_day = '2025-02-01' WHERE id = 'case-b'`).run();

    migrate(db, all.filter((m) => m.version <= 22));
    expect(db.prepare(`SELECT case_id, team_id, received_day FROM case_teams ORDER BY case_id, team_id`).all()).toEqual([
      { case_id: 'case-a', team_id: teamA, received_day: DAY },
      ...[teamA, teamB].sort().map((team_id) => ({ case_id: 'case-b', team_id, received_day: '2025-02-01' })),
    ]);
    expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'case_teams'`).pluck().get()).toMatch(/WITHOUT ROWID/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'case_teams_by_team'`).get()).toBeUndefined();
    const newest = db.prepare(`SELECT case_id FROM case_teams INDEXED BY case_teams_by_team_day WHERE team_id = ? ORDER BY received_day DESC, case_id DESC`);
    expect(newest.pluck().all(teamA)).toEqual(['case-a', 'case-b']);
    // A case still takes its teams with it.
    db.prepare(`DELETE FROM cases WHERE id = 'case-b'`).run();
    expect(db.prepare(`SELECT case_id FROM case_teams ORDER BY case_id`).pluck().all()).toEqual(['case-a']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('migration 027: a case\'s teams in one tree', () => {
  it('keeps every case team in one tree keyed by team, day and case, which every reader and the purge find by its key', () => {
    const { all, db, repos, channel, team } = organisationBefore(27);
    const teamB = seedOrganisation(repos, 'b').team.id;
    const insert = (id: string, day: string, teamIds: string[]) => {
      db.prepare(
        `INSERT INTO cases (id, channel_slug, stage, received_day, acknowledge_by_day, feedback_months, last_activity_day,
           lookup_hash, verifier_hash, reporter_public_key, reporter_key_ids, wrapped_reporter_key, report, first_stage_implied)
         VALUES (?, ?, 'closed', ?, '2025-03-21', 3, ?, ?, 'v', 'k', '[]', 'w', x'00', 1)`,
      ).run(id, channel.slug, day, day, `lookup-${id}`);
      for (const teamId of teamIds) db.prepare(`INSERT INTO case_teams (case_id, team_id, received_day) VALUES (?, ?, ?)`).run(id, teamId, day);
    };
    insert('case-a', DAY, [team.id]);
    insert('case-b', '2025-02-01', [team.id, teamB]);
    insert('case-c', DAY, [teamB]);
    const before = db.prepare(`SELECT team_id, received_day, case_id FROM case_teams ORDER BY team_id, received_day, case_id`).all();

    migrate(db, all);
    // The same pairs, stored in the key's order (a scan without ORDER BY reads the tree), and no other tree.
    expect(db.prepare(`SELECT team_id, received_day, case_id FROM case_teams`).all()).toEqual(before);
    expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'case_teams'`).pluck().get())
      .toMatch(/PRIMARY KEY \(team_id, received_day, case_id\)\s*\) WITHOUT ROWID/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name = 'case_teams' AND type = 'index' AND sql IS NOT NULL`).all()).toEqual([]);
    const cases = createCasesRepo(db);
    expect(cases.teamIdsOf('case-b')).toEqual([team.id, teamB].sort());
    expect(cases.teamIdsOf('case-c')).toEqual([teamB]);
    expect(cases.teamIdsOf('no-such-case')).toEqual([]);
    // A new case is written beside them; the purge takes a case's pairs with it, and only its own.
    cases.create(caseRecord(channel.slug, { id: 'case-d', lookupHash: 'd'.repeat(64), receivedDay: '2025-04-01' }), [teamB]);
    expect(db.prepare(`SELECT case_id FROM case_teams WHERE team_id = ?`).pluck().all(teamB)).toEqual(['case-b', 'case-c', 'case-d']);
    const retention = createRetentionRepo(db);
    expect(retention.keepDaysOf('case-b')).toBeGreaterThan(0);
    expect(retention.deleteCase('case-b')).toBe(true);
    expect(db.prepare(`SELECT team_id, case_id FROM case_teams ORDER BY team_id, case_id`).all()).toEqual(
      [{ team_id: team.id, case_id: 'case-a' }, { team_id: teamB, case_id: 'case-c' }, { team_id: teamB, case_id: 'case-d' }]
        .sort((x, y) => (x.team_id < y.team_id ? -1 : x.team_id > y.team_id ? 1 : 0)),
    );
    expect(cases.teamIdsOf('case-b')).toEqual([]);
    expect(retention.keepDaysOf('case-b')).toBeUndefined();
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('migration 024: a case\'s received event implied by its row until the daily batch', () => {
  it('leaves the events of existing cases where they are and starts the mark at the newest received day', () => {
    const { all, db, channel, team } = organisationBefore(24);
    for (const [id, day] of [['case-a', '2025-03-10'], ['case-b', '2025-03-12']] as const) {
      db.prepare(
        `INSERT INTO cases (id, channel_slug, stage, received_day, acknowledge_by_day, feedback_months, last_activity_day,
           lookup_hash, verifier_hash, reporter_public_key, reporter_key_ids, wrapped_reporter_key, report, first_stage_implied)
         VALUES (?, ?, 'received', ?, '2025-03-21', 3, ?, ?, 'v', 'k', '[]', 'w', x'00', 1)`,
      ).run(id, channel.slug, day, day, `lookup-${id}`);
      db.prepare(`INSERT INTO case_teams (case_id, team_id, received_day) VALUES (?, ?, ?)`).run(id, team.id, day);
      db.prepare(`INSERT INTO audit_pending (id, day, case_id, action, detail) VALUES (?, ?, ?, 'case.received', '{}')`).run(`p-${id}`, day, id);
    }

    migrate(db, all);
    expect(db.prepare(`SELECT id, received_event FROM cases ORDER BY id`).all()).toEqual([
      { id: 'case-a', received_event: null }, { id: 'case-b', received_event: null },
    ]);
    expect(db.prepare(`SELECT day FROM audit_implied_since`).pluck().all()).toEqual(['2025-03-12']);
    expect(db.prepare(`SELECT id FROM audit_pending ORDER BY id`).pluck().all()).toEqual(['p-case-a', 'p-case-b']);
  });

  it('starts the mark at the earliest day on a database without cases', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    expect(db.prepare(`SELECT day FROM audit_implied_since`).pluck().all()).toEqual(['0000-01-01']);
  });
});

describe('migration 026: files beside the database', () => {
  it('moves every body to the files\' file before the main file lets go of it, and deletes bodies after their rows from then on', () => {
    const { all, db, channel } = organisationBefore(26);
    for (const id of ['case-a', 'case-b']) {
      createCasesRepo(db).create(caseRecord(channel.slug, { id, lookupHash: id.repeat(8) }), [channel.teamIds[0]!]);
    }
    db.exec(`INSERT INTO upload_tickets (ticket_id, purge_after) VALUES ('t', 1000)`);
    db.exec(`INSERT INTO staged_uploads (id, ticket_id, key_ids, size, body) VALUES ('staged-1', 't', '[]', 2, x'c101')`);
    db.exec(`INSERT INTO attachments (seq, id, case_id, size, body) VALUES (7, 'file-a', 'case-a', 3, x'c10203'), (8, 'file-b', 'case-b', 1, x'c1')`);

    migrate(db, all);
    expect(db.prepare(`SELECT id, hex(body) AS body FROM files.bodies ORDER BY id`).all()).toEqual([
      { id: 'file-a', body: 'C10203' }, { id: 'file-b', body: 'C1' }, { id: 'staged-1', body: 'C101' },
    ]);
    for (const table of ['attachments', 'staged_uploads']) {
      expect(db.prepare(`SELECT name FROM pragma_table_info(?) WHERE name = 'body'`).get(table)).toBeUndefined();
    }
    const uploads = createUploadsRepo(db);
    expect(uploads.body('case-a', 'file-a')).toEqual(new Uint8Array([0xc1, 2, 3]));
    expect(uploads.findStaged('staged-1')).toMatchObject({ size: 2 });
    db.prepare(`DELETE FROM cases WHERE id = 'case-b'`).run();
    expect(uploads.drainDeletions(0)).toEqual({ deleted: 1, paused: false });
    expect(db.prepare(`SELECT id FROM files.bodies ORDER BY id`).pluck().all()).toEqual(['file-a', 'staged-1']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('refuses to upgrade a database with bodies when no files\' file is attached, and changes nothing', () => {
    const all = loadMigrations();
    const db = new Database(':memory:');
    opened.push(db);
    db.pragma('foreign_keys = ON');
    migrate(db, all.filter((m) => m.version < 26));
    db.exec(`INSERT INTO upload_tickets (ticket_id, purge_after) VALUES ('t', 1000)`);
    db.exec(`INSERT INTO staged_uploads (id, ticket_id, key_ids, size, body) VALUES ('staged-1', 't', '[]', 2, x'c101')`);
    expect(() => migrate(db, all)).toThrow(/files' file is not attached/);
    expect(schemaVersion(db)).toBe(25);
    expect(db.prepare(`SELECT hex(body) FROM staged_uploads`).pluck().get()).toBe('C101');
  });
});
