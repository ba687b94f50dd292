import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, loadMigrations, migrate, openDatabase } from './index.ts';
import type { Repositories } from './index.ts';
import { DAY, investigatorRecord, seedOrganisation } from './fixtures.ts';

let repos: Repositories;
beforeEach(() => {
  repos = createRepositories(openDatabase(':memory:'));
});

describe('teams, channels and investigators', () => {
  it('reads back what it stored', () => {
    const { team, channel, investigator } = seedOrganisation(repos);
    expect(repos.teams.find(team.id)).toEqual({ ...team, ackDays: 7, feedbackMonths: 3 });
    expect(repos.channels.find(channel.slug)).toEqual(channel);
    expect(repos.investigators.find(investigator.id)).toEqual(investigator);
    expect(repos.investigators.findByUsername(investigator.username)).toEqual(investigator);
  });

  it('returns undefined for what does not exist', () => {
    expect(repos.teams.find('nope')).toBeUndefined();
    expect(repos.channels.find('nope')).toBeUndefined();
    expect(repos.investigators.findByUsername('nope')).toBeUndefined();
  });

  it('keeps the order of a channel’s teams', () => {
    const a = seedOrganisation(repos, 'a').team;
    const b = seedOrganisation(repos, 'b').team;
    repos.channels.create({ slug: 'both', name: 'Both', createdDay: DAY, teamIds: [b.id, a.id] });
    expect(repos.channels.find('both')?.teamIds).toEqual([b.id, a.id]);
  });

  it('refuses a channel offering a team that does not exist, leaving nothing behind', () => {
    expect(() => repos.channels.create({ slug: 'x', name: 'X', createdDay: DAY, teamIds: ['ghost'] })).toThrow();
    expect(repos.channels.find('x')).toBeUndefined();
  });

  it('refuses a second investigator with the same username', () => {
    const { team } = seedOrganisation(repos);
    expect(() => repos.investigators.create({ ...investigatorRecord(team.id, 'a'), id: 'other-id-0123456789' })).toThrow(
      /UNIQUE/,
    );
  });

  it('lists only active investigators of a team', () => {
    const { team, investigator } = seedOrganisation(repos);
    seedOrganisation(repos, 'b');
    expect(repos.investigators.activeOfTeam(team.id).map((i) => i.id)).toEqual([investigator.id]);
    repos.investigators.setDisabled(investigator.id, true);
    expect(repos.investigators.activeOfTeam(team.id)).toEqual([]);
  });

  it('knows whether an administrator exists', () => {
    expect(repos.investigators.adminExists()).toBe(false);
    seedOrganisation(repos);
    expect(repos.investigators.adminExists()).toBe(true);
  });

  it('makes the one team of a database set up before version 9 the team that runs the deployment', () => {
    const db = openDatabase(':memory:', { migrations: loadMigrations().slice(0, 8) });
    db.prepare(`INSERT INTO teams (id, name, recovery_public_key, recovery_fingerprint, recovery_key_ids, created_day)
      VALUES ('t1', 'CSR', 'k', 'f', '[]', '2026-01-01')`).run();
    migrate(db);
    const old = createRepositories(db);
    expect(old.teams.find('t1')?.runsDeployment).toBe(true);
    old.teams.create({ ...old.teams.find('t1')!, id: 't2', name: 'Supplier committee', runsDeployment: undefined });
    expect(old.teams.find('t2')?.runsDeployment).toBe(false);
  });
});
