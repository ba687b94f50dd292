import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, toHex } from './encoding.ts';
import { KdfParamsError } from './errors.ts';
import {
  checkPasswordKdf, derivePasswordSecrets, deriveTokenSecrets, hkdf, KDF_CEILING, KDF_FLOOR, newSalt, PASSWORD_KDF, TOKEN_KDF,
} from './kdf.ts';

/** The cheapest parameters a page accepts: the floor. */
const FAST = { ...KDF_FLOOR };

describe('key derivation', () => {
  it('matches RFC 5869 test case 3 for HKDF-SHA256 with empty salt and info', async () => {
    const okm = await hkdf(new Uint8Array(22).fill(0x0b), '', 42);
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it('derives the fixed vector of the protocol document from a token', async () => {
    const secrets = await deriveTokenSecrets('0000000000000000000000000000');
    expect(secrets.lookupId).toBe('-GqpsEaYAHV0b_k5n8xZjjyGn71lPcl7ed82rqk_HsI');
    expect(secrets.verifier).toBe('89rIFRuL41_5qQDk6VCc1ED888rM1J2EwvBE5Ip9WmI');
    expect(toHex(secrets.wrapKey)).toBe('85913aa6ffd212c5cdcc111e0a2a5f81a188eb5ac64a7a0d7b8c700bfd7cfd53');
  });

  it('gives three independent values, none equal to another', async () => {
    const s = await deriveTokenSecrets('1111111111111111111111111111');
    const values = [s.lookupId, s.verifier, toBase64Url(s.wrapKey)];
    expect(new Set(values).size).toBe(3);
    for (const v of values) expect(fromBase64Url(v)).toHaveLength(32);
  });

  it('refuses an unparsed token rather than deriving from spaces', async () => {
    await expect(deriveTokenSecrets('0000 0000')).rejects.toThrow(TypeError);
  });

  it('separates the login verifier from the key-wrapping secret and depends on the salt', async () => {
    const salt = newSalt();
    const a = await derivePasswordSecrets('correct horse battery', salt, FAST);
    const b = await derivePasswordSecrets('correct horse battery', salt, FAST);
    const c = await derivePasswordSecrets('correct horse battery', newSalt(), FAST);
    expect(a.verifier).toBe(b.verifier);
    expect(toHex(a.wrapKey)).toBe(toHex(b.wrapKey));
    expect(a.verifier).not.toBe(toBase64Url(a.wrapKey));
    expect(c.verifier).not.toBe(a.verifier);
  });

  it('uses a memory-hard default for passwords', () => {
    expect(PASSWORD_KDF.memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('has the password default at the floor and the token KDF fixed in the code', () => {
    expect(KDF_FLOOR).toEqual(PASSWORD_KDF);
    expect(deriveTokenSecrets.length).toBe(1); // no parameters a server could name
    expect(TOKEN_KDF).toEqual({ algorithm: 'argon2id', memoryKiB: 32 * 1024, iterations: 3, parallelism: 1 });
  });
});

describe('KDF floor and ceiling (a server cannot name cheaper or ruinous parameters)', () => {
  const refused = [
    ['the downgrade a lying server asked for', { algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }],
    ['less memory', { ...PASSWORD_KDF, memoryKiB: PASSWORD_KDF.memoryKiB - 1 }],
    ['fewer passes', { ...PASSWORD_KDF, iterations: PASSWORD_KDF.iterations - 1 }],
    ['no lanes', { ...PASSWORD_KDF, parallelism: 0 }],
    ['gigabytes of memory', { ...PASSWORD_KDF, memoryKiB: 4 * 1024 * 1024 }],
    ['just over the memory ceiling', { ...PASSWORD_KDF, memoryKiB: KDF_CEILING.memoryKiB + 1 }],
    ['too many passes', { ...PASSWORD_KDF, iterations: KDF_CEILING.iterations + 1 }],
    ['too many lanes', { ...PASSWORD_KDF, parallelism: KDF_CEILING.parallelism + 1 }],
    ['another algorithm', { ...PASSWORD_KDF, algorithm: 'argon2i' }],
    ['not a whole number', { ...PASSWORD_KDF, memoryKiB: 65536.5 }],
    ['not a number', { ...PASSWORD_KDF, iterations: '3' }],
    ['nothing', undefined],
  ] as const;

  it.each(refused)('refuses %s before deriving anything', async (_what, kdf) => {
    expect(() => checkPasswordKdf(kdf as never)).toThrow(KdfParamsError);
    const error = await derivePasswordSecrets('correct horse battery', newSalt(), kdf as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KdfParamsError);
    expect((error as KdfParamsError).code).toBe('kdf-floor');
  });

  it('accepts the floor, the ceiling and anything between', () => {
    expect(() => checkPasswordKdf(KDF_FLOOR)).not.toThrow();
    expect(() => checkPasswordKdf(KDF_CEILING)).not.toThrow();
    expect(() => checkPasswordKdf({ ...PASSWORD_KDF, memoryKiB: 128 * 1024, iterations: 4 })).not.toThrow();
  });

  it('refuses fast: no Argon2 runs for a refused request', async () => {
    const started = performance.now();
    await expect(derivePasswordSecrets('pw', newSalt(), { ...PASSWORD_KDF, memoryKiB: 64 * 1024 * 1024 })).rejects.toThrow(KdfParamsError);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
