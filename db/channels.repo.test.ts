import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_LANGUAGES } from '../common/limits.ts';
import { EVERY_WORKER_LANGUAGE } from './channels.repo.ts';
import { createRepositories, loadMigrations, migrate, openDatabase, type ChannelSettings, type Repositories } from './index.ts';
import { DAY, investigatorRecord, seedOrganisation } from './fixtures.ts';

let repos: Repositories;
let a: string;
let b: string;
beforeEach(() => {
  repos = createRepositories(openDatabase(':memory:'));
  a = seedOrganisation(repos, 'a').team.id;
  b = seedOrganisation(repos, 'b').team.id;
});

const settings = (overrides: Partial<ChannelSettings> = {}): ChannelSettings => ({
  name: 'Plant 3',
  languages: ['vi', 'zh-CN'],
  teams: [
    { teamId: b, preselected: false, role: 'workplace', note: 'your committee' },
    { teamId: a, preselected: true, role: 'brand', note: '' },
  ],
  runBy: 'The CSR team',
  contacts: [
    { name: 'Labour inspectorate', reach: '+84 28 123', note: '' },
    { name: 'NGO hotline', reach: 'https://ngo.example', note: 'free, 24 h' },
  ],
  notes: 'More here.',
  ...overrides,
});

describe('channels', () => {
  it('reads back every setting, teams and contacts in their order', () => {
    const created = repos.channels.create({ slug: 'plant-3', createdDay: DAY, ...settings() });
    expect(created.teamIds).toEqual([b, a]);
    expect(repos.channels.find('plant-3')).toEqual(created);
    expect(created).toMatchObject({ changedDay: null, languages: ['vi', 'zh-CN'], runBy: 'The CSR team', notes: 'More here.' });
    expect(created.contacts.map((c) => c.name)).toEqual(['Labour inspectorate', 'NGO hotline']);
  });

  it('knows every worker language common/limits.ts names, in its order', () => {
    expect(EVERY_WORKER_LANGUAGE).toEqual([...WORKER_LANGUAGES]);
  });

  it('keeps a channel whose administrator chose some of the first eight languages as it was', () => {
    const migrations = loadMigrations();
    const db = openDatabase(':memory:', { migrations: migrations.slice(0, 16) });
    db.exec(`INSERT INTO channels (slug, name, created_day, languages) VALUES ('some', 'Some', '${DAY}', '["vi","en"]')`);
    migrate(db, migrations);
    expect(createRepositories(db).channels.find('some')?.languages).toEqual(['vi', 'en']);
    db.close();
  });

  it('offers every language and ticks every team of a channel made with team ids only (setup)', () => {
    const channel = repos.channels.create({ slug: 'x', name: 'X', createdDay: DAY, teamIds: [a, b] });
    expect(repos.channels.find('x')).toEqual(channel);
    expect(channel.languages).toEqual([...WORKER_LANGUAGES]);
    expect(channel.teams).toEqual([
      { teamId: a, preselected: true, role: null, note: '' },
      { teamId: b, preselected: true, role: null, note: '' },
    ]);
  });

  it('replaces the settings on update, keeping the slug and creation day', () => {
    repos.channels.create({ slug: 'plant-3', createdDay: DAY, ...settings() });
    const changed = repos.channels.update('plant-3', settings({
      name: 'Plant 3 (new)', languages: ['en'], teams: [{ teamId: a, preselected: true, role: null, note: '' }], contacts: [], notes: '',
    }), '2025-04-01');
    expect(repos.channels.find('plant-3')).toEqual(changed);
    expect(changed).toMatchObject({ slug: 'plant-3', createdDay: DAY, changedDay: '2025-04-01', name: 'Plant 3 (new)', teamIds: [a], contacts: [] });
  });

  it('leaves the channel whole when an update fails half-way', () => {
    const before = repos.channels.create({ slug: 'plant-3', createdDay: DAY, ...settings() });
    expect(() => repos.channels.update('plant-3', settings({
      name: 'Broken', teams: [{ teamId: a, preselected: true, role: null, note: '' }, { teamId: 'ghost', preselected: false, role: null, note: '' }],
    }), '2025-04-01')).toThrow();
    expect(repos.channels.find('plant-3')).toEqual(before);
    expect(() => repos.channels.update('nope', settings(), '2025-04-01')).toThrow(/no channel/);
  });

  it('refuses a second channel with a taken slug', () => {
    repos.channels.create({ slug: 'plant-3', createdDay: DAY, ...settings() });
    expect(() => repos.channels.create({ slug: 'plant-3', createdDay: DAY, ...settings({ name: 'Other' }) })).toThrow();
    expect(repos.channels.find('plant-3')?.name).toBe('Plant 3');
  });

  it('gives intake the offered teams in display order with their active key ids, none for a channel without teams, nothing for no channel', () => {
    repos.channels.create({ slug: 'plant-3', createdDay: DAY, ...settings() });
    repos.channels.create({ slug: 'plant-4', createdDay: DAY, ...settings({ teams: [] }) });
    // Team a: a second investigator, one pending and one disabled (neither reads reports); team b: its one.
    const second = repos.investigators.create({ ...investigatorRecord(a, 'a2'), encryptionKeyIds: ['0102030405060708'] });
    repos.investigators.create({ ...investigatorRecord(a, 'a3'), encryptionKeyIds: ['1112131415161718'], admittedDay: null });
    const gone = repos.investigators.create({ ...investigatorRecord(a, 'a4'), encryptionKeyIds: ['2122232425262728'] });
    repos.investigators.setDisabled(gone.id, true);
    repos.teams.setDeadlines(b, 5, 2);

    const offered = repos.channels.intakeTeams('plant-3')!;
    expect(offered.map((t) => t.id)).toEqual(repos.channels.find('plant-3')!.teamIds);
    expect(offered.map((t) => t.id)).toEqual([b, a]);
    for (const team of offered) {
      const stored = repos.teams.find(team.id)!;
      expect(team).toEqual({
        id: stored.id, name: stored.name, ackDays: stored.ackDays, feedbackMonths: stored.feedbackMonths, recoveryKeyIds: stored.recoveryKeyIds,
        investigatorKeyIds: repos.investigators.activeOfTeam(team.id).map((i) => i.encryptionKeyIds),
      });
    }
    expect(offered[0]).toMatchObject({ ackDays: 5, feedbackMonths: 2 });
    expect(offered[1]!.investigatorKeyIds).toHaveLength(2);
    expect(offered[1]!.investigatorKeyIds[1]).toEqual(second.encryptionKeyIds);
    expect(repos.channels.intakeTeams('plant-4')).toEqual([]);
    expect(repos.channels.intakeTeams('plant-5')).toBeUndefined();
    expect(repos.channels.intakeTeams('PLANT-3')).toBeUndefined();
  });

  it('answers intake from memory until a row it depends on changes, in this connection or another process\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ombud-intake-generation-'));
    try {
      const path = join(dir, 'ombud.db');
      const db = openDatabase(path);
      const mine = createRepositories(db);
      const teamA = seedOrganisation(mine, 'a').team.id;
      const teamB = seedOrganisation(mine, 'b').team.id;
      mine.channels.create({ slug: 'plant-3', createdDay: DAY, ...settings({ teams: [{ teamId: teamA, preselected: true, role: 'brand', note: '' }] }) });
      // What a repository with nothing remembered reads, each time afresh.
      const fresh = () => createRepositories(db).channels.intakeTeams('plant-3');
      const first = mine.channels.intakeTeams('plant-3')!;
      expect(mine.channels.intakeTeams('plant-3')).toBe(first);
      expect(Object.isFrozen(first) && Object.isFrozen(first[0]) && Object.isFrozen(first[0]!.investigatorKeyIds[0])).toBe(true);
      expect(() => (first[0]!.investigatorKeyIds as string[][]).push(['ffffffffffffffff'])).toThrow();

      let joined = '';
      const changes: Array<[string, () => void]> = [
        ['an investigator joins', () => { joined = mine.investigators.create({ ...investigatorRecord(teamA, 'a2'), encryptionKeyIds: ['0102030405060708'] }).id; }],
        ['an investigator is disabled', () => mine.investigators.setDisabled(joined, true)],
        ['the team\'s deadlines change', () => mine.teams.setDeadlines(teamA, 5, 2)],
        ['the channel offers another team', () => mine.channels.update('plant-3', settings({ teams: [{ teamId: teamB, preselected: false, role: 'workplace', note: '' }] }), DAY)],
      ];
      let before: readonly unknown[] = first;
      for (const [what, change] of changes) {
        change();
        const now = mine.channels.intakeTeams('plant-3')!;
        expect(now, what).not.toEqual(before);
        expect(now, what).toEqual(fresh());
        before = now;
      }

      // Another connection (another process: \`ombud\` commands) changes a team: seen at the next report.
      const other = openDatabase(path);
      try {
        createRepositories(other).teams.setDeadlines(teamB, 9, 4);
      } finally {
        other.close();
      }
      expect(mine.channels.intakeTeams('plant-3')![0]).toMatchObject({ id: teamB, ackDays: 9, feedbackMonths: 4 });
      expect(mine.channels.intakeTeams('plant-3')).toEqual(fresh());

      // A change rolled back after intake read inside it, then another one committed: the answer read inside the
      // rolled-back transaction is never given again.
      expect(() => db.transaction(() => {
        mine.teams.setDeadlines(teamB, 1, 1);
        expect(mine.channels.intakeTeams('plant-3')![0]).toMatchObject({ ackDays: 1, feedbackMonths: 1 });
        throw new Error('rolled back');
      })()).toThrow('rolled back');
      mine.teams.setDeadlines(teamB, 2, 2);
      expect(mine.channels.intakeTeams('plant-3')![0]).toMatchObject({ ackDays: 2, feedbackMonths: 2 });

      // A channel asked for before it exists is not remembered as missing.
      expect(mine.channels.intakeTeams('plant-9')).toBeUndefined();
      mine.channels.create({ slug: 'plant-9', createdDay: DAY, ...settings() });
      expect(mine.channels.intakeTeams('plant-9')?.map((t) => t.id)).toEqual([teamB, teamA]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a channel\'s teams in the form\'s order from their index, with no sort of the teams', () => {
    const db = openDatabase(':memory:');
    // The planner must take the index (migration 025) and need no sort of the teams.
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan(`SELECT team_id FROM channel_teams WHERE channel_slug = ? ORDER BY position, team_id`))
      .not.toMatch(/TEMP B-TREE/);
    // Intake's query: only each team's investigators are put in order (the last two terms), never the teams.
    const intake = plan(`SELECT ct.team_id, i.encryption_key_ids FROM channels c
      LEFT JOIN channel_teams ct ON ct.channel_slug = c.slug
      LEFT JOIN teams t ON t.id = ct.team_id
      LEFT JOIN investigators i ON i.team_id = ct.team_id AND i.disabled = 0 AND i.admitted_day IS NOT NULL
      WHERE c.slug = ? ORDER BY ct.position, ct.team_id, i.created_day, i.id`);
    expect(intake).toMatch(/channel_teams_in_order \(channel_slug=\?\)/);
    expect(intake).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('lists every channel by name', () => {
    repos.channels.create({ slug: 'zz', createdDay: DAY, ...settings({ name: 'Alpha site' }) });
    expect(repos.channels.list().map((c) => c.slug)).toEqual(['zz', 'factory-a', 'factory-b']);
  });

  it('refuses a role outside the closed set in the database itself', () => {
    expect(() => repos.channels.create({
      slug: 'bad', createdDay: DAY, ...settings({ teams: [{ teamId: a, preselected: true, role: 'owner' as never, note: '' }] }),
    })).toThrow(/CHECK/);
  });
});

describe('upgrading to version 10', () => {
  it('keeps an older channel sending to all its teams, in every language', () => {
    const migrations = loadMigrations();
    const db = openDatabase(':memory:', { migrations: migrations.slice(0, 9) });
    db.exec(`INSERT INTO teams (id, name, recovery_public_key, recovery_fingerprint, recovery_key_ids, created_day)
             VALUES ('t1', 'T1', 'k', 'ff', '[]', '${DAY}'), ('t2', 'T2', 'k', 'ee', '[]', '${DAY}')`);
    db.exec(`INSERT INTO channels (slug, name, created_day) VALUES ('old', 'Old', '${DAY}')`);
    db.exec(`INSERT INTO channel_teams (channel_slug, team_id, position) VALUES ('old', 't2', 0), ('old', 't1', 1)`);
    migrate(db, migrations);
    const channel = createRepositories(db).channels.find('old');
    expect(channel).toMatchObject({ languages: [...WORKER_LANGUAGES], runBy: '', contacts: [], notes: '', changedDay: null, teamIds: ['t2', 't1'] });
    expect(channel?.teams.every((t) => t.preselected && t.role === null && t.note === '')).toBe(true);
    db.close();
  });
});
