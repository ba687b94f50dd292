import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, toHex } from './encoding.ts';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import { CryptoInputError, WrongKeyError } from './errors.ts';
import { readArmoredPrivateKey, wrapKey } from './keys.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trim();

// The fixed vector of docs/protocol.md "v2: workspace trust root".
const WRAP_KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const IV = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
const ROOT = '49b947b50e131a062e1a54592e52b74b0ddbd9a9';
const SEND_TO = ['0123456789abcdef0123456789abcdef01234567'];

describe('key envelope v2', () => {
  it('seals the fixed vector byte for byte and opens it to the key and its root', async () => {
    const key = await readArmoredPrivateKey(fixture('investigator.sec.asc'));
    const sealed = await sealEnvelope({ key, trust: { root: ROOT.toUpperCase(), sendTo: [...SEND_TO, ROOT] }, wrapKey: WRAP_KEY, iv: IV });
    expect(sealed).toBe(fixture('envelope-v2.b64u'));
    const opened = await openEnvelope({ wrapped: sealed, wrapKey: WRAP_KEY });
    expect(opened.version).toBe(2);
    expect(opened.trust).toEqual({ root: ROOT, sendTo: SEND_TO });
    expect(opened.key.fingerprint).toBe(key.fingerprint);
    // The header in the clear part of the vector: version 2, then the IV.
    expect(toHex(fromBase64Url(sealed).subarray(0, 13))).toBe(`02${toHex(IV)}`);
    key.wipe();
  });

  it('refuses a changed byte, a wrong key, and a root that is not a fingerprint', async () => {
    const bytes = fromBase64Url(fixture('envelope-v2.b64u'));
    bytes[40] = bytes[40]! ^ 1;
    await expect(openEnvelope({ wrapped: toBase64Url(bytes), wrapKey: WRAP_KEY })).rejects.toBeInstanceOf(WrongKeyError);
    await expect(openEnvelope({ wrapped: fixture('envelope-v2.b64u'), wrapKey: new Uint8Array(32) })).rejects.toBeInstanceOf(WrongKeyError);
    const key = await readArmoredPrivateKey(fixture('investigator.sec.asc'));
    await expect(sealEnvelope({ key, trust: { root: 'not hex', sendTo: [] }, wrapKey: WRAP_KEY })).rejects.toBeInstanceOf(CryptoInputError);
    key.wipe();
  });

  it('opens a version 1 wrapped key with no root (made before v2), and a v1 blob cannot pass as v2', async () => {
    const key = await readArmoredPrivateKey(fixture('investigator.sec.asc'));
    const v1 = await wrapKey({ key, wrapKey: WRAP_KEY, purpose: 'investigator' });
    const opened = await openEnvelope({ wrapped: v1, wrapKey: WRAP_KEY });
    expect(opened).toMatchObject({ version: 1, trust: null });
    const relabelled = fromBase64Url(v1);
    relabelled[0] = 2;
    await expect(openEnvelope({ wrapped: toBase64Url(relabelled), wrapKey: WRAP_KEY })).rejects.toBeInstanceOf(WrongKeyError);
    key.wipe();
  });
});
