/**
 * Protocol v2, neutral public keys and team names bound
 * to the recovery key (item 4): no key the public or a reporter can fetch
 * names a person or tells a time to the second; a recovery key names its team.
 */
import { describe, expect, it } from 'vitest';
import { certifyKey, isCertifiedBy, recoveryKeyTeamName } from './certify.ts';
import { generateKeyPair, INVESTIGATOR_USER_ID, NEUTRAL_KEY_DATE } from './keys.ts';
import { openpgp } from './openpgp.ts';

/** Every time an armored public key carries: its keys' creation and every signature's. */
export async function keyTimes(armored: string): Promise<Date[]> {
  const key = await openpgp.readKey({ armoredKey: armored });
  const times = [key.getCreationTime(), ...key.subkeys.map((subkey) => subkey.getCreationTime())];
  for (const user of key.users) for (const sig of [...user.selfCertifications, ...user.otherCertifications]) times.push(sig.created!);
  for (const subkey of key.subkeys) for (const sig of subkey.bindingSignatures) times.push(sig.created!);
  return times;
}

describe('neutral keys (protocol v2)', () => {
  it('makes investigator keys that name nobody and are dated the fixed day, certification included', async () => {
    const recovery = await generateKeyPair({ kind: 'recovery', teamName: 'Brand CSR' });
    const mei = await generateKeyPair({ kind: 'investigator' });
    const certified = await certifyKey({ publicKey: mei.publicKey, certifier: recovery.privateKey });
    expect(await isCertifiedBy({ publicKey: certified, certifierPublicKey: recovery.publicKey })).toBe(true);
    const key = await openpgp.readKey({ armoredKey: certified });
    expect(key.getUserIDs()).toEqual([INVESTIGATOR_USER_ID]);
    for (const armored of [certified, recovery.publicKey]) {
      for (const time of await keyTimes(armored)) expect(time.getTime()).toBe(NEUTRAL_KEY_DATE.getTime());
    }
  });

  it('makes a recovery key whose self-signed user id names the team, and reads the name back', async () => {
    const recovery = await generateKeyPair({ kind: 'recovery', teamName: 'Supplier committee' });
    expect(await recoveryKeyTeamName(recovery.publicKey)).toBe('Supplier committee');
    await expect(generateKeyPair({ kind: 'recovery', teamName: '  ' })).rejects.toThrow();
  });

  it('reads the team from a recovery key made before v2, and names no team for any other key', async () => {
    const old = await generateKeyPair({ name: 'Brand CSR recovery key', kind: 'team' });
    expect(await recoveryKeyTeamName(old.publicKey)).toBe('Brand CSR');
    const investigator = await generateKeyPair({ kind: 'investigator' });
    const odd = await generateKeyPair({ name: 'Brand CSR', kind: 'team' });
    expect(await recoveryKeyTeamName(investigator.publicKey)).toBeUndefined();
    expect(await recoveryKeyTeamName(odd.publicKey)).toBeUndefined();
    expect(await recoveryKeyTeamName('not a key')).toBeUndefined();
  });
});
