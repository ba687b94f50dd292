import { describe, expect, it } from 'vitest';
import { utf8 } from './encoding.ts';
import { CryptoInputError, DecryptError } from './errors.ts';
import {
  importIndexKey, INDEX_ENTRY_BYTES, INDEX_TEXT_BYTES, newIndexKey, openIndexEntry, openSealed, sealForKeys, sealIndexEntry,
} from './index-key.ts';
import { generateKeyPair } from './keys.ts';

const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack).includes(Buffer.from(needle));

describe('team index key', () => {
  it('is sealed to several OpenPGP keys and opens with each of them only', async () => {
    const [a, b, stranger] = await Promise.all([1, 2, 3].map((n) => generateKeyPair({ name: `I${n}` })));
    const raw = newIndexKey();
    const sealed = await sealForKeys({ data: raw, recipients: [a!.publicKey, b!.publicKey] });
    expect(await openSealed({ sealed, key: a!.privateKey })).toEqual(raw);
    expect(await openSealed({ sealed, key: b!.privateKey })).toEqual(raw);
    await expect(openSealed({ sealed, key: stranger!.privateKey })).rejects.toThrow(DecryptError);
  });

  it('seals entries of one fixed size that do not contain their text and open only for their case', async () => {
    const key = await importIndexKey(newIndexKey());
    const text = 'forced overtime canaryword-zebra line 4';
    const short = await sealIndexEntry({ key, caseId: 'case-1', text });
    const long = await sealIndexEntry({ key, caseId: 'case-1', text: 'x'.repeat(900) });
    expect(short.length).toBe(INDEX_ENTRY_BYTES);
    expect(long.length).toBe(INDEX_ENTRY_BYTES);
    expect(contains(short, utf8('canaryword'))).toBe(false);
    expect(await openIndexEntry({ key, caseId: 'case-1', entry: short })).toBe(text);
    await expect(openIndexEntry({ key, caseId: 'case-2', entry: short })).rejects.toThrow(DecryptError);
    const other = await importIndexKey(newIndexKey());
    await expect(openIndexEntry({ key: other, caseId: 'case-1', entry: short })).rejects.toThrow(DecryptError);
  });

  it('cuts long text at a character boundary to fit the entry', async () => {
    const key = await importIndexKey(newIndexKey());
    const text = 'ä'.repeat(INDEX_TEXT_BYTES); // two bytes each
    const back = await openIndexEntry({ key, caseId: 'c', entry: await sealIndexEntry({ key, caseId: 'c', text }) });
    expect(back).toBe('ä'.repeat(INDEX_TEXT_BYTES / 2));
  });

  it('refuses keys of the wrong size', async () => {
    await expect(importIndexKey(new Uint8Array(16))).rejects.toThrow(CryptoInputError);
  });
});
