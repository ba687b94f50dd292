import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, toHex } from './encoding.ts';
import { derivePasswordSecrets, deriveTokenSecrets, hkdf, newSalt, PASSWORD_KDF } from './kdf.ts';

const FAST = { algorithm: 'argon2id', memoryKiB: 1024, iterations: 1, parallelism: 1 } as const;

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
});
