import { afterAll, describe, expect, it } from 'vitest';
import { certifyKey, fingerprintOf } from './certify.ts';
import { generateKeyPair } from './keys.ts';
import { checkKeysAgainstRoots } from './trust-root.ts';

const recovery = await generateKeyPair({ name: 'Team recovery key', kind: 'team' });
const attackerRecovery = await generateKeyPair({ name: 'Team recovery key', kind: 'team' });
const member = await generateKeyPair({ name: 'Mei Lin', kind: 'team' });
const attacker = await generateKeyPair({ name: 'Mei Lin', kind: 'team' });
afterAll(() => { for (const pair of [recovery, attackerRecovery, member, attacker]) pair.privateKey.wipe(); });
const root = await fingerprintOf(recovery.publicKey);
const certifiedMember = await certifyKey({ publicKey: member.publicKey, certifier: recovery.privateKey });
const attackerCertified = await certifyKey({ publicKey: attacker.publicKey, certifier: attackerRecovery.privateKey });

describe('checkKeysAgainstRoots', () => {
  it('accepts the root recovery key and keys it certified', async () => {
    expect(await checkKeysAgainstRoots({ keys: [recovery.publicKey, certifiedMember], roots: [root], recoveryKeys: [] })).toEqual({ ok: true });
    expect(await checkKeysAgainstRoots({ keys: [certifiedMember], roots: [root], recoveryKeys: [recovery.publicKey] })).toEqual({ ok: true });
  });

  it('refuses an uncertified key, a key certified by an attacker recovery key, and an attacker recovery key', async () => {
    for (const bad of [member.publicKey, attackerCertified, attackerRecovery.publicKey]) {
      expect(await checkKeysAgainstRoots({
        keys: [certifiedMember, bad], roots: [root], recoveryKeys: [recovery.publicKey, attackerRecovery.publicKey],
      })).toEqual({ ok: false, key: bad });
    }
  });

  it('refuses everything without the root recovery key to check with, and garbage', async () => {
    expect((await checkKeysAgainstRoots({ keys: [certifiedMember], roots: [root], recoveryKeys: [] })).ok).toBe(false);
    expect((await checkKeysAgainstRoots({ keys: ['not a key'], roots: [root], recoveryKeys: [recovery.publicKey] })).ok).toBe(false);
  });
});
