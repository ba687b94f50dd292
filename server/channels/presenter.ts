/**
 * The fields of a channel that leave the server, for the public (the report
 * form and the information page: /api/channels/:slug) and for deployment
 * administrators (server/channels/admin-routes.ts). Everything listed is
 * public information an administrator typed, team names and public keys.
 */
import type { AdminChannel, ChannelInfo } from '../../common/api.ts';
import type { Channel, Repositories, Team } from '../../db/index.ts';
import { teamRecipients } from '../recipients/recipients.ts';

type Repos = Pick<Repositories, 'teams' | 'investigators' | 'teamNames'>;

/** The channel's teams that still exist, with their entries, in channel order. */
function offered(repos: Repos, channel: Channel) {
  return channel.teams.flatMap((entry) => {
    const team = repos.teams.find(entry.teamId);
    return team ? [{ entry, team }] : [];
  });
}

const contactsOf = (channel: Channel) => channel.contacts.map((c) => ({ name: c.name, reach: c.reach, note: c.note }));

export function presentPublicChannel(repos: Repos, channel: Channel): ChannelInfo {
  const teams = offered(repos, channel);
  return {
    slug: channel.slug,
    name: channel.name,
    teams: teams.map(({ entry, team }) => ({
      id: team.id,
      name: team.name,
      recipientKeys: teamRecipients(repos, [team.id]).map((k) => k.armored),
      // For the form's pin check (client/report/pins.ts): the recovery key and the certified investigator keys.
      recoveryKey: team.recoveryPublicKey,
      investigatorKeys: repos.investigators.activeOfTeam(team.id).map((inv) => inv.publicKey),
      preselected: entry.preselected,
      role: entry.role,
      note: entry.note,
      names: repos.teamNames.ofTeam(team.id).map((n) => ({ lang: n.lang, name: n.name, signature: n.signature })),
    })),
    acknowledgeDays: teams.length ? Math.min(...teams.map(({ team }) => team.ackDays)) : 7,
    languages: channel.languages as ChannelInfo['languages'],
    runBy: channel.runBy,
    contacts: contactsOf(channel),
    notes: channel.notes,
  };
}

export function presentAdminChannel(repos: Repos, channel: Channel): AdminChannel {
  return {
    slug: channel.slug,
    name: channel.name,
    languages: channel.languages as AdminChannel['languages'],
    teams: offered(repos, channel).map(({ entry, team }) => ({
      id: team.id,
      name: team.name,
      recoveryFingerprint: team.recoveryFingerprint,
      preselected: entry.preselected,
      role: entry.role,
      note: entry.note,
    })),
    runBy: channel.runBy,
    contacts: contactsOf(channel),
    notes: channel.notes,
    createdDay: channel.createdDay,
    changedDay: channel.changedDay,
  };
}

/** A team as the administrator's picker lists it. */
export function presentTeamChoice(repos: Repos, team: Team) {
  return {
    id: team.id,
    name: team.name,
    recoveryFingerprint: team.recoveryFingerprint,
    investigators: repos.investigators.activeOfTeam(team.id).length,
  };
}
