import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createServerKeys } from '../security/secrets.ts';
import {
  base32Decode, base32Encode, hotp, matchTotp, openTotpSecret, otpauthUri, sealTotpSecret, totp, totpStep,
} from './totp.ts';

// RFC 6238 Appendix B, SHA-1 rows: the seed is the ASCII "12345678901234567890", 8 digits.
const RFC_SEED = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 Appendix B (SHA-1) at T=%i', (seconds, expected) => {
    expect(totp(RFC_SEED, seconds * 1000, 8)).toBe(expected);
  });

  it('matches the RFC 4226 Appendix D HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(RFC_SEED, counter))).toEqual(expected);
  });

  it('accepts the codes of the previous, current and next step and nothing further', () => {
    const now = 1_800_000_000_000;
    const step = totpStep(now);
    for (const delta of [-1, 0, 1]) expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + delta), now)).toBe(step + delta);
    for (const delta of [-2, 2]) expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + delta), now)).toBeNull();
    expect(matchTotp(RFC_SEED, 'abcdef', now)).toBeNull();
  });

  it('encodes base32 as RFC 4648 does and decodes it back', () => {
    expect(base32Encode(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(RFC_SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SEED);
  });

  it('builds the otpauth URI authenticator apps read', () => {
    expect(otpauthUri('mei', RFC_SEED)).toBe(
      'otpauth://totp/Ombud%3Amei?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Ombud',
    );
  });

  it('seals the secret so that only the same server secret and owner open it', () => {
    const keys = createServerKeys(randomBytes(32));
    const box = sealTotpSecret(keys, RFC_SEED, 'inv-1');
    expect(box).not.toContain(base32Encode(RFC_SEED));
    expect(openTotpSecret(keys, box, 'inv-1')).toEqual(RFC_SEED);
    expect(() => openTotpSecret(keys, box, 'inv-2')).toThrow();
    expect(() => openTotpSecret(createServerKeys(randomBytes(32)), box, 'inv-1')).toThrow();
  });
});
