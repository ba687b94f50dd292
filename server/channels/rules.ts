/**
 * The rules a channel's settings must keep, beyond their shape (zod,
 * common/api.ts ChannelSettingsRequest): each refusal is a 400 with its own
 * code and a message that says what to change. Checked before anything is
 * written, so a refused change leaves the channel as it was.
 *
 * - at least one team offered (`no_team_offered`), none twice
 *   (`team_listed_twice`), each one that exists (`team_not_found`);
 * - at least one team ticked for the worker (`no_team_preselected`), only
 *   teams the channel offers (`preselected_not_offered`);
 * - each language once (`language_listed_twice`).
 */
import type { z } from 'zod';
import type { ChannelSettingsRequest } from '../../common/api.ts';
import type { ChannelSettings, Repositories } from '../../db/index.ts';
import { HttpError } from '../errors.ts';

type Settings = z.output<typeof ChannelSettingsRequest>;

const twice = (values: readonly string[]) => values.find((value, i) => values.indexOf(value) !== i);

export function checkedSettings(repos: Pick<Repositories, 'teams'>, body: Settings): ChannelSettings {
  const offered = body.teams.map((t) => t.teamId);
  if (offered.length === 0) throw new HttpError(400, 'no_team_offered', 'offer at least one team on this channel');
  const repeated = twice(offered);
  if (repeated) throw new HttpError(400, 'team_listed_twice', `team ${repeated} is listed twice; list each team once`);
  const missing = offered.find((id) => !repos.teams.find(id));
  if (missing) throw new HttpError(400, 'team_not_found', `there is no team ${missing}; choose teams from the list`);

  if (body.preselected.length === 0) {
    throw new HttpError(400, 'no_team_preselected', 'tick at least one team for the worker: a report must go somewhere by default');
  }
  const stranger = body.preselected.find((id) => !offered.includes(id));
  if (stranger) {
    throw new HttpError(400, 'preselected_not_offered', `team ${stranger} is ticked but not offered; offer it or untick it`);
  }
  const language = twice(body.languages);
  if (language) throw new HttpError(400, 'language_listed_twice', `the language ${language} is listed twice; list each once`);

  return {
    name: body.name,
    languages: [...body.languages],
    teams: body.teams.map((t) => ({ teamId: t.teamId, preselected: body.preselected.includes(t.teamId), role: t.role, note: t.note })),
    runBy: body.runBy,
    contacts: body.contacts.map((c) => ({ name: c.name, reach: c.reach, note: c.note })),
    notes: body.notes,
  };
}

/** The offered teams' recovery keys are the link's pins: another set or order of teams is another link. */
export function samePins(before: readonly string[], after: readonly string[]): boolean {
  return before.length === after.length && before.every((id, i) => id === after[i]);
}
