import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptoInputError } from './errors.ts';
import { describePublicKeyPackets, dearmorPublicKey, encryptionKeyIdReader } from './key-inspect.ts';
import { describePublicKey, generateKeyPair } from './keys.ts';
import { openpgp, PGP_CONFIG } from './openpgp.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

/** Armors raw packets as a public key block, as openpgp.js writes one (with its CRC-24). */
function armor(bytes: Uint8Array): string {
  return openpgp.armor(openpgp.enums.armor.publicKey, bytes, undefined, undefined, undefined, false, { ...openpgp.config, ...PGP_CONFIG });
}

/** The packet bytes of an armored key, as openpgp.js reads them. */
async function packetsOf(armored: string): Promise<Uint8Array> {
  return (await openpgp.readKey({ armoredKey: armored })).write();
}

/** Intake's reader (the key id only, one packet hashed): it must accept and refuse what describePublicKeyPackets does. */
const readKeyIds = await encryptionKeyIdReader();

/** The refusal of both readers, which must be the same. */
async function refusal(armored: string): Promise<string> {
  let intake: unknown;
  try {
    readKeyIds(armored);
  } catch (error) {
    intake = error;
  }
  try {
    await describePublicKeyPackets(armored);
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoInputError);
    expect(intake).toBeInstanceOf(CryptoInputError);
    expect((intake as Error).message).toBe((error as Error).message);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

/**
 * The reading dearmorPublicKey had before it was made cheaper (a line split by pattern, every line
 * trimmed by pattern, the body joined, checked by pattern and translated to base64url): the oracle the
 * faster one must agree with, input for input.
 */
function dearmorByPatterns(armored: string): Uint8Array {
  const lines = armored.split(/\r?\n/).map((line) => line.replace(/[ \t]+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== '-----BEGIN PGP PUBLIC KEY BLOCK-----') throw new CryptoInputError('begin');
  if (lines[lines.length - 1] !== '-----END PGP PUBLIC KEY BLOCK-----') throw new CryptoInputError('end');
  let at = 1;
  while (at < lines.length - 1 && lines[at] !== '') {
    if (!/^[A-Za-z0-9-]+: /.test(lines[at]!)) {
      if (at === 1) break;
      throw new CryptoInputError('header');
    }
    at++;
  }
  if (lines[at] === '') at++;
  const body = lines.slice(at, -1);
  let crc: string | undefined;
  if (body.length > 0 && body[body.length - 1]!.startsWith('=')) crc = body.pop()!.slice(1);
  const text = body.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new CryptoInputError('base64');
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  // Buffer is lenient about stray bits; the old reading was not.
  if (Buffer.from(bytes).toString('base64') !== text) throw new CryptoInputError('stray bits');
  if (crc !== undefined) {
    if (!/^[A-Za-z0-9+/]{4}$/.test(crc)) throw new CryptoInputError('crc format');
    const sum = Buffer.from(crc, 'base64');
    if (((sum[0]! << 16) | (sum[1]! << 8) | sum[2]!) !== crc24Reference(bytes)) throw new CryptoInputError('crc');
  }
  return bytes;
}

/** RFC 4880 §6.1's CRC-24, bit by bit as the RFC writes it. */
function crc24Reference(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of bytes) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

const outcome = (read: () => Uint8Array): string => {
  try {
    return Buffer.from(read()).toString('hex');
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoInputError);
    return 'refused';
  }
};

describe('dearmorPublicKey', () => {
  it('agrees with the pattern-by-pattern reading on keys and on thousands of damaged ones', async () => {
    const keys = [fixture('investigator.pub.asc'), fixture('recovery.pub.asc')];
    for (let i = 0; i < 3; i++) keys.push((await generateKeyPair({ kind: 'reporter' })).publicKey);
    const withCrc = armor(await packetsOf(keys[2]!));
    keys.push(withCrc, withCrc.replace(/\n/g, '\r\n'), withCrc.replace(/\n/g, ' \t\n'), withCrc.replace('\n\n', '\n'));
    keys.push(withCrc.replace('\n', '\nComment: x\nVersion: y\n'), withCrc.replace(/\n$/, ''), `${withCrc}\n\n  \n`);
    // A carriage return ends a line only before a line feed: not at the very end, not alone, not before a blank.
    keys.push(`${withCrc.replace(/\n$/, '')}\r`, `${withCrc}\r`, withCrc.replace(/\n/g, '\r \n'), withCrc.replace('\n', '\r'));
    // Edits chosen where the two readings could part: line ends, blanks, padding, the checksum's marker.
    const pieces = ['\n', '\r', '\r\n', ' ', '\t', '=', '==', 'A', '-', '+', '/', ':', 'x: ', '\u00e9'];
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    let refused = 0;
    let accepted = 0;
    for (const key of keys) {
      expect(outcome(() => dearmorPublicKey(key))).toBe(outcome(() => dearmorByPatterns(key)));
      for (let n = 0; n < 600; n++) {
        let damaged = key;
        for (let edits = 1 + random(2); edits > 0; edits--) {
          const at = random(damaged.length + 1);
          const kind = random(3);
          const piece = pieces[random(pieces.length)]!;
          damaged = kind === 0 ? damaged.slice(0, at) + piece + damaged.slice(at)
            : kind === 1 ? damaged.slice(0, at) + damaged.slice(at + 1 + random(3))
            : damaged.slice(0, at) + piece + damaged.slice(at + piece.length);
        }
        const expected = outcome(() => dearmorByPatterns(damaged));
        expect(outcome(() => dearmorPublicKey(damaged)), JSON.stringify(damaged)).toBe(expected);
        if (expected === 'refused') refused++;
        else accepted++;
      }
    }
    // Both kinds were exercised, not only one.
    expect(refused).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(200);
  });
});

describe('describePublicKeyPackets', () => {
  it('says what openpgp.js says of reporter keys, investigator keys and recovery keys', async () => {
    const keys = [fixture('investigator.pub.asc'), fixture('recovery.pub.asc'), fixture('investigator.certified.asc')];
    for (let i = 0; i < 12; i++) keys.push((await generateKeyPair({ kind: 'reporter' })).publicKey);
    for (const key of keys) {
      const described = await describePublicKey(key, { verifySignatures: false });
      expect(await describePublicKeyPackets(key)).toEqual(described);
      expect(readKeyIds(key)).toEqual({ encryptionKeyIds: described.encryptionKeyIds });
    }
  });

  it('reads a key exported by GnuPG (old-format packet headers, armor headers) as openpgp.js does', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ombud-key-inspect-'));
    try {
      const gpg = (args: string[]) => execFileSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args]).toString('utf8');
      gpg(['--quick-gen-key', 'Worker <w@example.invalid>', 'ed25519', 'sign', 'never']);
      const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--list-keys']))![1]!;
      gpg(['--quick-add-key', fpr, 'cv25519', 'encr', 'never']);
      const exported = gpg(['--armor', '--export-options', 'export-minimal', '--comment', 'from GnuPG', '--export', fpr]);
      expect(exported).toContain('Comment: from GnuPG');
      const info = await describePublicKeyPackets(exported);
      expect(info).toEqual(await describePublicKey(exported, { verifySignatures: false }));
      expect(info.fingerprint).toBe(fpr.toLowerCase());
      const subkey = /^sub:[^\n]*\nfpr:+([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--list-keys', fpr]))![1]!;
      expect(info.encryptionKeyIds).toEqual([subkey.slice(-16).toLowerCase()]);
      expect(readKeyIds(exported)).toEqual({ encryptionKeyIds: info.encryptionKeyIds });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('takes CRLF line ends, trailing spaces and a block without its CRC-24', async () => {
    const key = (await generateKeyPair({ kind: 'reporter' })).publicKey;
    const expected = await describePublicKey(key, { verifySignatures: false });
    expect(await describePublicKeyPackets(key.replace(/\n/g, '  \r\n'))).toEqual(expected);
    expect(await describePublicKeyPackets(key.replace(/^=[A-Za-z0-9+/]{4}\n/m, ''))).toEqual(expected);
  });

  it('refuses a block whose CRC-24 does not match, or whose body is not base64', async () => {
    const key = (await generateKeyPair({ kind: 'reporter' })).publicKey;
    const crc = /^=([A-Za-z0-9+/]{4})$/m.exec(key);
    if (crc) {
      const other = crc[1] === 'AAAA' ? 'AAAB' : 'AAAA';
      expect(await refusal(key.replace(`=${crc[1]}`, `=${other}`))).toMatch(/checksum/);
    } else {
      const bytes = dearmorPublicKey(key);
      const withCrc = armor(bytes);
      expect(withCrc).toMatch(/^=[A-Za-z0-9+/]{4}$/m);
      expect(await refusal(withCrc.replace(/^=([A-Za-z0-9+/]{4})$/m, (_, c: string) => `=${c === 'AAAA' ? 'AAAB' : 'AAAA'}`))).toMatch(/checksum/);
    }
    const lines = key.split('\n');
    const bodyLine = lines.findIndex((line, i) => i > 1 && line.length > 20);
    lines[bodyLine] = `${lines[bodyLine]!.slice(0, 10)}*${lines[bodyLine]!.slice(11)}`;
    expect(await refusal(lines.join('\n'))).toMatch(/base64/);
  });

  it('refuses what openpgp.js refuses or the server must not take: private keys, v6, two encryption subkeys, an encrypting primary', async () => {
    const pair = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'x' }], format: 'armored', config: PGP_CONFIG });
    // A secret key packet armored as a public block (the header alone must not decide).
    const secretPackets = (await openpgp.readPrivateKey({ armoredKey: pair.privateKey })).write();
    expect(await refusal(armor(secretPackets))).toMatch(/private key/);
    expect(await refusal(pair.privateKey)).toMatch(/not an OpenPGP public key/);

    const v6 = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'x' }], format: 'armored', config: { ...PGP_CONFIG, v6Keys: true } });
    expect(await refusal(v6.publicKey)).toMatch(/version 4/);

    const two = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'x' }], subkeys: [{}, {}], format: 'armored', config: PGP_CONFIG });
    expect(await refusal(two.publicKey)).toMatch(/exactly one encryption subkey/);
    await expect(describePublicKey(two.publicKey, { verifySignatures: false })).rejects.toThrow(/exactly one encryption subkey/);

    const none = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'x' }], subkeys: [{ sign: true }], format: 'armored', config: PGP_CONFIG });
    expect(await refusal(none.publicKey)).toMatch(/exactly one encryption subkey/);

    const rsa = await openpgp.generateKey({ type: 'rsa', rsaBits: 2048, userIDs: [{ name: 'x' }], format: 'armored', config: PGP_CONFIG });
    expect(await refusal(rsa.publicKey)).toMatch(/exactly one encryption subkey/);
    await expect(describePublicKey(rsa.publicKey, { verifySignatures: false })).rejects.toThrow(/exactly one encryption subkey/);
  });

  it('refuses damaged packets: truncated, trailing bytes, a foreign packet, no primary key first, too many packets', async () => {
    const key = (await generateKeyPair({ kind: 'reporter' })).publicKey;
    const bytes = await packetsOf(key);
    expect(await refusal(armor(bytes.subarray(0, bytes.length - 5)))).toMatch(/truncated|damaged/);
    expect(await refusal(armor(new Uint8Array([...bytes, 0xc1])))).toMatch(/damaged|truncated/);
    // A PKESK packet (tag 1) after the key.
    expect(await refusal(armor(new Uint8Array([...bytes, 0xc1, 0x01, 0x03])))).toMatch(/packet type 1/);
    // The user id first.
    const userId = new Uint8Array([0xcd, 0x01, 0x78]);
    expect(await refusal(armor(new Uint8Array([...userId, ...bytes])))).toMatch(/primary key/);
    // 70 user ids: more packets than any honest key.
    const many = new Uint8Array(70 * userId.length);
    for (let i = 0; i < 70; i++) many.set(userId, i * userId.length);
    expect(await refusal(armor(new Uint8Array([...bytes, ...many])))).toMatch(/more than 64 packets/);
    expect(await refusal(armor(new Uint8Array()))).toMatch(/not an OpenPGP public key/);
    expect(await refusal('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEAAAAABYJKwYBBAHaRw8BAQdA\n')).toMatch(/end line/);
  });

  it('keeps the key id openpgp.js encrypts to: a message to the key names it', async () => {
    const pair = await generateKeyPair({ kind: 'reporter' });
    const info = await describePublicKeyPackets(pair.publicKey);
    const message = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: 'x' }),
      encryptionKeys: await openpgp.readKey({ armoredKey: pair.publicKey }),
      format: 'binary',
      config: PGP_CONFIG,
    });
    const read = await openpgp.readMessage({ binaryMessage: message as Uint8Array });
    expect(read.getEncryptionKeyIDs().map((id) => id.toHex())).toEqual(info.encryptionKeyIds);
  });
});
