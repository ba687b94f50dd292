/**
 * Intake channels (a factory, a site, a supplier): the languages their
 * workers read, the teams each offers in the order the form shows them
 * (which are ticked for the worker, what each team is to these workers), and
 * the local information of the channel's information page (migration 010).
 * Everything here is public.
 */
import type { Statement } from 'better-sqlite3';
import type { ChannelTeamRole } from '../common/limits.ts';
import { decodeKeyIds } from './columns.ts';
import { writeTransaction, type Db } from './database.ts';

export interface ChannelTeamEntry {
  teamId: string;
  /** The report form ticks this team for the worker. */
  preselected: boolean;
  /** What the team is to this channel's workers; the form says it in the worker's language. */
  role: ChannelTeamRole | null;
  /** A short note beside the team, as the administrator wrote it. */
  note: string;
}

export interface ChannelContact {
  name: string;
  /** A phone number, an address, a web address. */
  reach: string;
  note: string;
}

/** What an administrator sets (everything but the slug, which posters carry, and the days). */
export interface ChannelSettings {
  name: string;
  /** Worker language codes, the default first. */
  languages: string[];
  /** In display order. */
  teams: ChannelTeamEntry[];
  runBy: string;
  contacts: ChannelContact[];
  notes: string;
}

export interface Channel extends ChannelSettings {
  slug: string;
  createdDay: string;
  changedDay: string | null;
  /** Team ids offered by this channel, in display order (= teams[].teamId). */
  teamIds: string[];
}

/** A new channel: either full settings, or (setup, tests) just the teams, all ticked, every language (as before migration 010). */
export type NewChannel = Pick<Channel, 'slug' | 'name' | 'createdDay'> &
  Partial<Omit<ChannelSettings, 'name'>> & { teamIds?: string[] };


/** A team a channel offers, as intake checks a report against it (channels.intakeTeams). */
export interface IntakeTeam {
  readonly id: string;
  readonly name: string;
  readonly ackDays: number;
  readonly feedbackMonths: number;
  readonly recoveryKeyIds: readonly string[];
  /** The encryption key ids of its admitted, not disabled investigators, oldest first (as investigators.activeOfTeam). */
  readonly investigatorKeyIds: ReadonlyArray<readonly string[]>;
}

interface IntakeRow {
  team_id: string | null;
  name: string | null;
  ack_days: number | null;
  feedback_months: number | null;
  recovery_key_ids: string | null;
  encryption_key_ids: string | null;
}

interface ChannelRow {
  slug: string;
  name: string;
  created_day: string;
  changed_day: string | null;
  languages: string;
  run_by: string;
  local_notes: string;
}
interface TeamRow { team_id: string; preselected: number; role: ChannelTeamRole | null; note: string }

function decodeLanguages(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((l) => typeof l === 'string')) throw new Error('corrupt languages column');
  return parsed;
}

/**
 * Every worker language, in the picker's order: db/ takes no value from common/, so the list is written
 * here too; `db/channels.repo.test.ts` fails when it differs from `WORKER_LANGUAGES` (common/limits.ts).
 */
export const EVERY_WORKER_LANGUAGE: readonly string[] = [
  'en', 'zh-CN', 'vi', 'id', 'hi', 'es', 'th', 'ms', 'bn', 'km', 'my', 'ne', 'ur', 'ta', 'te', 'tl', 'pt-BR', 'tr',
];

export function createChannelsRepo(db: Db) {
  const COLUMNS = 'slug, name, created_day, changed_day, languages, run_by, local_notes';
  const insert = db.prepare(
    `INSERT INTO channels (slug, name, created_day, languages, run_by, local_notes) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const languagesOf = db.prepare<[string], Pick<ChannelRow, 'languages'>>(`SELECT languages FROM channels WHERE slug = ?`);
  const change = db.prepare(
    `UPDATE channels SET name = ?, languages = ?, run_by = ?, local_notes = ?, changed_day = ? WHERE slug = ?`,
  );
  const insertTeam = db.prepare(
    `INSERT INTO channel_teams (channel_slug, team_id, position, preselected, role, note) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const deleteTeams = db.prepare(`DELETE FROM channel_teams WHERE channel_slug = ?`);
  const insertContact = db.prepare(
    `INSERT INTO channel_contacts (channel_slug, position, name, reach, note) VALUES (?, ?, ?, ?, ?)`,
  );
  const deleteContacts = db.prepare(`DELETE FROM channel_contacts WHERE channel_slug = ?`);
  const bySlug = db.prepare<[string], ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE slug = ?`);
  const all = db.prepare<[], ChannelRow>(`SELECT ${COLUMNS} FROM channels ORDER BY name, slug`);
  const teamsOf = db.prepare<[string], TeamRow>(
    `SELECT team_id, preselected, role, note FROM channel_teams WHERE channel_slug = ? ORDER BY position, team_id`,
  );
  // Intake's view of a channel: one row per offered team and active investigator (the investigator's column null
  // for a team with none), one row of nulls for a channel that offers no team, no row when the channel does not exist.
  const intakeRows = db.prepare<[string], IntakeRow>(
    `SELECT ct.team_id, t.name, t.ack_days, t.feedback_months, t.recovery_key_ids, i.encryption_key_ids
       FROM channels c
       LEFT JOIN channel_teams ct ON ct.channel_slug = c.slug
       LEFT JOIN teams t ON t.id = ct.team_id
       LEFT JOIN investigators i ON i.team_id = ct.team_id AND i.disabled = 0 AND i.admitted_day IS NOT NULL
      WHERE c.slug = ?
      ORDER BY ct.position, ct.team_id, i.created_day, i.id`,
  );
  // A random number, drawn anew by triggers on every change to the four tables intakeRows reads (migration 028).
  // Read as a bigint: SQLite's random() takes all 64 bits. Prepared at the first report: the migrations' tests
  // build this repository on the schemas before it.
  let intakeGeneration: Statement<[], { n: bigint }> | undefined;
  // intakeTeams' answers, per existing channel, as of `generation`; frozen, as every report shares them.
  let intakeCache: { generation: bigint | undefined; bySlug: Map<string, readonly IntakeTeam[]> } = { generation: undefined, bySlug: new Map() };
  const contactsOf = db.prepare<[string], ChannelContact>(
    `SELECT name, reach, note FROM channel_contacts WHERE channel_slug = ? ORDER BY position`,
  );

  const toChannel = (row: ChannelRow): Channel => {
    const teams = teamsOf.all(row.slug).map((t) => ({ teamId: t.team_id, preselected: t.preselected === 1, role: t.role, note: t.note }));
    return {
      slug: row.slug,
      name: row.name,
      createdDay: row.created_day,
      changedDay: row.changed_day,
      languages: decodeLanguages(row.languages),
      teams,
      teamIds: teams.map((t) => t.teamId),
      runBy: row.run_by,
      contacts: contactsOf.all(row.slug),
      notes: row.local_notes,
    };
  };

  const writeParts = (slug: string, settings: Pick<ChannelSettings, 'teams' | 'contacts'>) => {
    settings.teams.forEach((t, position) => insertTeam.run(slug, t.teamId, position, t.preselected ? 1 : 0, t.role, t.note));
    settings.contacts.forEach((c, position) => insertContact.run(slug, position, c.name, c.reach, c.note));
  };

  const create = writeTransaction(db, (channel: Omit<Channel, 'languages'> & { languages: string[] | undefined }): string[] => {
    // Without languages: every worker language (migration 017; the column's default names only the first eight).
    const languages = channel.languages ?? EVERY_WORKER_LANGUAGE;
    insert.run(channel.slug, channel.name, channel.createdDay, JSON.stringify(languages), channel.runBy, channel.notes);
    writeParts(channel.slug, channel);
    return decodeLanguages(languagesOf.get(channel.slug)!.languages);
  });

  const update = writeTransaction(db, (slug: string, settings: ChannelSettings, day: string) => {
    const changed = change.run(settings.name, JSON.stringify(settings.languages), settings.runBy, settings.notes, day, slug);
    if (changed.changes !== 1) throw new Error(`no channel ${slug}`);
    deleteTeams.run(slug);
    deleteContacts.run(slug);
    writeParts(slug, settings);
  });

  return {
    /** Creates the channel with its teams and contacts, atomically. Throws if the slug is taken or a team does not exist. */
    create(input: NewChannel): Channel {
      const teams = input.teams ?? (input.teamIds ?? []).map((teamId) => ({ teamId, preselected: true, role: null, note: '' }));
      const channel = {
        slug: input.slug,
        name: input.name,
        createdDay: input.createdDay,
        changedDay: null,
        languages: input.languages && [...input.languages],
        teams: teams.map((t) => ({ ...t })),
        teamIds: teams.map((t) => t.teamId),
        runBy: input.runBy ?? '',
        contacts: (input.contacts ?? []).map((c) => ({ ...c })),
        notes: input.notes ?? '',
      };
      return { ...channel, languages: create(channel) };
    },
    /** Replaces everything an administrator sets, atomically; the slug and the creation day stay. */
    update(slug: string, settings: ChannelSettings, day: string): Channel {
      update(slug, settings, day);
      return toChannel(bySlug.get(slug)!);
    },
    find(slug: string): Channel | undefined {
      const row = bySlug.get(slug);
      return row && toChannel(row);
    },
    /**
     * The teams a channel offers, in display order, with what intake checks a report against
     * (server/intake/receive.ts), or undefined when there is no such channel: one query for
     * what the channel, each team and each team's investigators would take one each.
     *
     * Read again only when a row of those tables changed since (migration 028): the generation is
     * read first, in the caller's transaction, so the answer is what that transaction would read.
     * A channel that does not exist is not remembered (any slug can be asked for).
     */
    intakeTeams(slug: string): readonly IntakeTeam[] | undefined {
      intakeGeneration ??= db.prepare<[], { n: bigint }>(`SELECT n FROM intake_generation WHERE id = 1`).safeIntegers(true);
      const generation = intakeGeneration.get()!.n;
      if (generation !== intakeCache.generation) intakeCache = { generation, bySlug: new Map() };
      const cached = intakeCache.bySlug.get(slug);
      if (cached) return cached;
      const rows = intakeRows.all(slug);
      if (rows.length === 0) return undefined;
      const teams: Array<Omit<IntakeTeam, 'investigatorKeyIds'> & { investigatorKeyIds: Array<readonly string[]> }> = [];
      for (const row of rows) {
        if (row.team_id === null) continue;
        let team = teams.at(-1);
        if (team?.id !== row.team_id) {
          // channel_teams.team_id references teams (foreign keys on): every offered team has its row.
          team = {
            id: row.team_id, name: row.name!, ackDays: row.ack_days!, feedbackMonths: row.feedback_months!,
            recoveryKeyIds: Object.freeze(decodeKeyIds(row.recovery_key_ids!)), investigatorKeyIds: [],
          };
          teams.push(team);
        }
        if (row.encryption_key_ids !== null) team.investigatorKeyIds.push(Object.freeze(decodeKeyIds(row.encryption_key_ids)));
      }
      const frozen = Object.freeze(teams.map((t) => Object.freeze({ ...t, investigatorKeyIds: Object.freeze(t.investigatorKeyIds) })));
      intakeCache.bySlug.set(slug, frozen);
      return frozen;
    },
    /** Every channel, by name. */
    list(): Channel[] {
      return all.all().map(toChannel);
    },
  };
}

export type ChannelsRepo = ReturnType<typeof createChannelsRepo>;
