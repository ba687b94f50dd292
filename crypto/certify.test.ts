import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certifyKey, fingerprintOf, isCertifiedBy } from './certify.ts';
import { CryptoInputError } from './errors.ts';
import { generateKeyPair, readArmoredPrivateKey } from './keys.ts';
import { FULL_CONFIG, openpgp } from './openpgp.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const recovery = await generateKeyPair({ name: 'Team recovery key', kind: 'team' });
const other = await generateKeyPair({ name: 'Someone else', kind: 'team' });
const investigator = await generateKeyPair({ name: 'Mei Lin', kind: 'team' });
afterAll(() => {
  for (const pair of [recovery, other, investigator]) pair.privateKey.wipe();
});

describe('certifyKey and isCertifiedBy', () => {
  it('accepts a key certified by the recovery key (round trip)', async () => {
    const certified = await certifyKey({ publicKey: investigator.publicKey, certifier: recovery.privateKey });
    expect(await isCertifiedBy({ publicKey: certified, certifierPublicKey: recovery.publicKey })).toBe(true);
    // Still the same key: same fingerprint, same encryption subkey.
    expect(await fingerprintOf(certified)).toBe(await fingerprintOf(investigator.publicKey));
  });

  it('refuses a key that is not certified at all', async () => {
    expect(await isCertifiedBy({ publicKey: investigator.publicKey, certifierPublicKey: recovery.publicKey })).toBe(false);
  });

  it('refuses a key certified by another key', async () => {
    const byOther = await certifyKey({ publicKey: investigator.publicKey, certifier: other.privateKey });
    expect(await isCertifiedBy({ publicKey: byOther, certifierPublicKey: recovery.publicKey })).toBe(false);
    expect(await isCertifiedBy({ publicKey: byOther, certifierPublicKey: other.publicKey })).toBe(true);
  });

  it('refuses a tampered certification', async () => {
    const certified = await openpgp.readKey({
      armoredKey: await certifyKey({ publicKey: investigator.publicKey, certifier: recovery.privateKey }),
    });
    const certification = certified.users[0]!.otherCertifications[0]!;
    certification.signedHashValue![0]! ^= 0xff;
    expect(await isCertifiedBy({ publicKey: certified.armor(), certifierPublicKey: recovery.publicKey })).toBe(false);
  });

  it('refuses a certification moved onto another key (an attacker copying it)', async () => {
    const certified = await openpgp.readKey({
      armoredKey: await certifyKey({ publicKey: investigator.publicKey, certifier: recovery.privateKey }),
    });
    const attacker = await openpgp.readKey({ armoredKey: other.publicKey });
    attacker.users[0]!.otherCertifications.push(certified.users[0]!.otherCertifications[0]!);
    expect(await isCertifiedBy({ publicKey: attacker.armor(), certifierPublicKey: recovery.publicKey })).toBe(false);
  });

  it('refuses a certification the recovery key revoked', async () => {
    const certifiedArmored = await certifyKey({ publicKey: investigator.publicKey, certifier: recovery.privateKey });
    const certified = await openpgp.readKey({ armoredKey: certifiedArmored });
    const user = certified.users[0]!;
    // A revocation of the certification, made by the same recovery key (type 0x30 over the same user id).
    const packet = new openpgp.SignaturePacket();
    packet.signatureType = openpgp.enums.signature.certRevocation;
    packet.publicKeyAlgorithm = recovery.privateKey.pgp.keyPacket.algorithm;
    packet.hashAlgorithm = openpgp.enums.hash.sha256;
    packet.created = new Date();
    packet.issuerKeyID = recovery.privateKey.pgp.getKeyID();
    packet.issuerFingerprint = recovery.privateKey.pgp.keyPacket.getFingerprintBytes();
    packet.issuerKeyVersion = 4;
    // The typings omit the config argument that the implementation needs.
    await (packet.sign as (...args: unknown[]) => Promise<void>).call(packet, recovery.privateKey.pgp.keyPacket, { userID: user.userID, key: certified.keyPacket }, new Date(), false, FULL_CONFIG);
    user.revocationSignatures.push(packet);
    expect(await isCertifiedBy({ publicKey: certified.armor(), certifierPublicKey: recovery.publicKey })).toBe(false);
  });

  it('refuses garbage, private keys and self-certification without throwing', async () => {
    expect(await isCertifiedBy({ publicKey: 'hello', certifierPublicKey: recovery.publicKey })).toBe(false);
    expect(await isCertifiedBy({ publicKey: fixture('investigator.sec.asc'), certifierPublicKey: recovery.publicKey })).toBe(false);
    expect(await isCertifiedBy({ publicKey: recovery.publicKey, certifierPublicKey: recovery.publicKey })).toBe(false);
    await expect(certifyKey({ publicKey: recovery.publicKey, certifier: recovery.privateKey })).rejects.toThrow(CryptoInputError);
    await expect(certifyKey({ publicKey: 'hello', certifier: recovery.privateKey })).rejects.toThrow(CryptoInputError);
  });
});

describe('fixed vector (crypto/fixtures)', () => {
  it('reads the committed certified investigator key as certified by the committed recovery key', async () => {
    const certified = fixture('investigator.certified.asc');
    const recoveryPub = fixture('recovery.pub.asc');
    expect(await fingerprintOf(recoveryPub)).toBe('49b947b50e131a062e1a54592e52b74b0ddbd9a9');
    expect(await fingerprintOf(certified)).toBe('e8733f3e326575947b7e5ef9d00b2bed58643324');
    expect(await fingerprintOf(fixture('investigator.pub.asc'))).toBe('e8733f3e326575947b7e5ef9d00b2bed58643324');
    expect(await isCertifiedBy({ publicKey: certified, certifierPublicKey: recoveryPub })).toBe(true);
    expect(await isCertifiedBy({ publicKey: fixture('investigator.pub.asc'), certifierPublicKey: recoveryPub })).toBe(false);
    expect(await isCertifiedBy({ publicKey: certified, certifierPublicKey: other.publicKey })).toBe(false);
  });

  it('certifies with the committed recovery private key as well', async () => {
    const key = await readArmoredPrivateKey(fixture('recovery.sec.asc'));
    const again = await certifyKey({ publicKey: fixture('investigator.pub.asc'), certifier: key });
    expect(await isCertifiedBy({ publicKey: again, certifierPublicKey: fixture('recovery.pub.asc') })).toBe(true);
    key.wipe();
  });
});

describe('GnuPG', () => {
  it('sees the certification and finds it good (gpg --check-sigs)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ombud-gpg-certify-'));
    try {
      const gpg = (args: string[]) =>
        execFileSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--with-colons', ...args], { stdio: ['pipe', 'pipe', 'pipe'] }).toString('utf8');
      const certified = await certifyKey({ publicKey: investigator.publicKey, certifier: recovery.privateKey });
      writeFileSync(join(home, 'recovery.asc'), recovery.publicKey);
      writeFileSync(join(home, 'certified.asc'), certified);
      gpg(['--import', join(home, 'recovery.asc')]);
      gpg(['--import', join(home, 'certified.asc')]);
      const sigs = gpg(['--check-sigs', investigator.privateKey.fingerprint]);
      const recoveryKeyId = recovery.privateKey.pgp.getKeyID().toHex().toUpperCase();
      // "sig:!:…:<issuer key id>:…:10x:": a good (!) generic certification (class 10) by the recovery key.
      const line = sigs.split('\n').find((l) => l.startsWith('sig:') && l.split(':')[4] === recoveryKeyId);
      expect(line, sigs).toBeDefined();
      expect(line!.split(':')[1]).toBe('!');
      expect(line!.split(':')[10]).toMatch(/^10/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
