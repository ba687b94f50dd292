import { describe, expect, it } from 'vitest';
import { generateKeyPair } from './keys.ts';
import { signPossession } from './sign.ts';
import { signTeamName, verifyTeamName } from './team-name.ts';

const statement = { teamId: 'team-1', recovery: 'a'.repeat(40), lang: 'vi', name: 'Ban công đoàn nhà máy' };

describe('a team name in a worker language, signed by an investigator of the team', () => {
  it('verifies by one of the given keys, and not once the team, trust root, language or name differ', async () => {
    const investigator = await generateKeyPair({ name: 'Investigator' });
    const other = await generateKeyPair({ name: 'Other' });
    const signature = await signTeamName({ ...statement, key: investigator.privateKey });
    expect(await verifyTeamName({ ...statement, signature, publicKeys: [other.publicKey, investigator.publicKey] })).toBe(true);
    expect(await verifyTeamName({ ...statement, signature, publicKeys: [other.publicKey] })).toBe(false);
    expect(await verifyTeamName({ ...statement, signature, publicKeys: [] })).toBe(false);
    for (const changed of [{ teamId: 'team-2' }, { recovery: 'b'.repeat(40) }, { lang: 'id' }, { name: 'Đội độc lập của thương hiệu' }]) {
      expect(await verifyTeamName({ ...statement, ...changed, signature, publicKeys: [investigator.publicKey] })).toBe(false);
    }
    expect(await verifyTeamName({ ...statement, signature: 'not a signature', publicKeys: [investigator.publicKey] })).toBe(false);
  });

  it('does not take a proof of possession over the same text for a name signature', async () => {
    const investigator = await generateKeyPair({ name: 'Investigator' });
    const text = JSON.stringify({ team: statement.teamId, recovery: statement.recovery, lang: statement.lang, name: statement.name });
    const signature = await signPossession({ text, key: investigator.privateKey });
    expect(await verifyTeamName({ ...statement, signature, publicKeys: [investigator.publicKey] })).toBe(false);
  });
});
