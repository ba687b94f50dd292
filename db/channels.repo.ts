/**
 * Intake channels (a factory, a site, a supplier) and the teams each offers
 * to the worker, in the order the form shows them.
 */
import type { Db } from './database.ts';

export interface Channel {
  slug: string;
  name: string;
  createdDay: string;
  /** Team ids offered by this channel, in display order. */
  teamIds: string[];
}

interface ChannelRow {
  slug: string;
  name: string;
  created_day: string;
}

export function createChannelsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO channels (slug, name, created_day) VALUES (?, ?, ?)`);
  const insertTeam = db.prepare(
    `INSERT INTO channel_teams (channel_slug, team_id, position) VALUES (?, ?, ?)`,
  );
  const bySlug = db.prepare<[string], ChannelRow>(
    `SELECT slug, name, created_day FROM channels WHERE slug = ?`,
  );
  const teamsOf = db.prepare<[string], { team_id: string }>(
    `SELECT team_id FROM channel_teams WHERE channel_slug = ? ORDER BY position, team_id`,
  );

  const create = db.transaction((channel: Channel) => {
    insert.run(channel.slug, channel.name, channel.createdDay);
    channel.teamIds.forEach((teamId, position) => insertTeam.run(channel.slug, teamId, position));
  });

  return {
    /** Creates the channel with its teams, atomically. */
    create(channel: Channel): Channel {
      create(channel);
      return { ...channel, teamIds: [...channel.teamIds] };
    },
    find(slug: string): Channel | undefined {
      const row = bySlug.get(slug);
      if (!row) return undefined;
      return {
        slug: row.slug,
        name: row.name,
        createdDay: row.created_day,
        teamIds: teamsOf.all(slug).map((r) => r.team_id),
      };
    },
  };
}

export type ChannelsRepo = ReturnType<typeof createChannelsRepo>;
