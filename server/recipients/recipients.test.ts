/**
 * teamRecipientIds (intake, from channels.intakeTeams) must name exactly the recipients teamRecipients
 * names, in the same order, only without the armored keys: a report is
 * checked against the same readers whichever way they were read.
 */
import { describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from '../../db/index.ts';
import { DAY, investigatorRecord, seedOrganisation } from '../../db/fixtures.ts';
import { teamRecipientIds, teamRecipients } from './recipients.ts';

describe('teamRecipientIds', () => {
  it('names the same recipients as teamRecipients: admitted, not disabled, each key once, recovery key last', () => {
    const repos = createRepositories(openDatabase(':memory:'));
    const a = seedOrganisation(repos, 'a');
    const b = seedOrganisation(repos, 'b');
    const second = repos.investigators.create({ ...investigatorRecord(a.team.id, 'a2'), encryptionKeyIds: ['0102030405060708'] });
    repos.investigators.create({ ...investigatorRecord(a.team.id, 'a3'), encryptionKeyIds: ['1112131415161718'], admittedDay: null });
    const gone = repos.investigators.create({ ...investigatorRecord(a.team.id, 'a4'), encryptionKeyIds: ['2122232425262728'] });
    repos.investigators.setDisabled(gone.id, true);
    // Team b shares team a's recovery key: one recipient. Both offered by one channel, as intake reads them.
    repos.channels.create({ slug: 'both', name: 'Both', createdDay: DAY, teamIds: [a.team.id, b.team.id] });
    const teams = repos.channels.intakeTeams('both')!;
    expect(teams.map((t) => t.id)).toEqual([a.team.id, b.team.id]);

    const full = teamRecipients(repos, [a.team.id, b.team.id]).map(({ label, keyIds }) => ({ label, keyIds }));
    expect(teamRecipientIds(teams)).toEqual(full);
    expect(full.map((k) => k.keyIds)).toEqual([
      a.investigator.encryptionKeyIds, second.encryptionKeyIds, a.team.recoveryKeyIds, ...(b.investigator.encryptionKeyIds.join() === a.investigator.encryptionKeyIds.join() ? [] : [b.investigator.encryptionKeyIds]),
    ]);
  });
});
