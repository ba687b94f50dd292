import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, toHex, utf8 } from './encoding.ts';
import { BindingError, openBinding, sealBinding, type BindingRecord } from './binding.ts';
import { deriveTokenSecrets } from './kdf.ts';

/** The fixed vector of docs/protocol.md, "v2: status page trust". */
const TOKEN = '0000000000000000000000000000';
const RECORD: BindingRecord = {
  v: 2,
  reporterKey: '0123456789abcdef0123456789abcdef01234567',
  teams: [
    { id: 'team-a', name: 'Brand CSR', recovery: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
    { id: 'team-b', name: 'Supplier committee', recovery: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' },
  ],
};
const BINDING_KEY = '2d397eabbab89f554538d7df53979939dcc11e4ec8440fbdc8ca0527deb87940';
const BINDING = 'eyJ2IjoyLCJyZXBvcnRlcktleSI6IjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1NjciLCJ0ZWFtcyI6W3siaWQiOiJ0ZWFtLWEiLCJuYW1lIjoiQnJhbmQgQ1NSIiwicmVjb3ZlcnkiOiJhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhIn0seyJpZCI6InRlYW0tYiIsIm5hbWUiOiJTdXBwbGllciBjb21taXR0ZWUiLCJyZWNvdmVyeSI6ImJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmIifV19.SAPZoOVQj2r2Y-fOEvnIM2l6HaCWFVL4R2cE3_GQn8Q';

describe('status binding (protocol v2)', () => {
  it('derives the binding key of the fixed vector from the token, apart from the other three values', async () => {
    const secrets = await deriveTokenSecrets(TOKEN);
    expect(toHex(secrets.bindingKey)).toBe(BINDING_KEY);
    expect(toHex(secrets.bindingKey)).not.toBe(toHex(secrets.wrapKey));
    expect(toBase64Url(secrets.bindingKey)).not.toBe(secrets.lookupId);
    expect(toBase64Url(secrets.bindingKey)).not.toBe(secrets.verifier);
  });

  it('seals the fixed record to the fixed binding, and opens it again', async () => {
    const bindingKey = Uint8Array.from(BINDING_KEY.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(await sealBinding({ record: RECORD, bindingKey })).toBe(BINDING);
    expect(await openBinding({ binding: BINDING, bindingKey })).toEqual(RECORD);
  });

  it('refuses a binding under another token, an altered record, a cut MAC and junk', async () => {
    const { bindingKey } = await deriveTokenSecrets(TOKEN);
    const other = (await deriveTokenSecrets('1111111111111111111111111111')).bindingKey;
    await expect(openBinding({ binding: BINDING, bindingKey: other })).rejects.toThrow(BindingError);
    const [body, mac] = BINDING.split('.') as [string, string];
    const swapped = JSON.stringify({ ...RECORD, teams: [{ ...RECORD.teams[0], name: 'Supplier committee' }, { ...RECORD.teams[1], name: 'Brand CSR' }] });
    await expect(openBinding({ binding: `${toBase64Url(utf8(swapped))}.${mac}`, bindingKey })).rejects.toThrow(BindingError);
    await expect(openBinding({ binding: `${body}.${mac.slice(0, 20)}`, bindingKey })).rejects.toThrow(BindingError);
    for (const junk of ['', '.', 'abc', `${body}.${mac}.x`, '!!!.???']) {
      await expect(openBinding({ binding: junk, bindingKey })).rejects.toThrow(BindingError);
    }
    expect(fromBase64Url(mac)).toHaveLength(32);
  });

  it('seals only well-formed records', async () => {
    const { bindingKey } = await deriveTokenSecrets(TOKEN);
    await expect(sealBinding({ record: { ...RECORD, teams: [] }, bindingKey })).rejects.toThrow();
    await expect(sealBinding({ record: { ...RECORD, reporterKey: 'not hex' }, bindingKey })).rejects.toThrow();
  });
});
