import { describe, expect, it } from 'vitest';
import { readZip } from './read-zip.ts';
import { crc32, writeZip } from './zip.ts';

describe('ZIP writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('writes stored entries that read back byte for byte', () => {
    const binary = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    const zip = writeZip([
      { name: 'README.txt', data: new TextEncoder().encode('hello') },
      { name: 'messages/001-reporter.gpg', data: binary },
      { name: 'empty.bin', data: new Uint8Array() },
      { name: 'ünïcode.txt', data: new TextEncoder().encode('ü') },
    ], new Date('2026-11-24T08:30:00Z'));
    const files = readZip(zip);
    expect([...files.keys()]).toEqual(['README.txt', 'messages/001-reporter.gpg', 'empty.bin', 'ünïcode.txt']);
    expect(new TextDecoder().decode(files.get('README.txt'))).toBe('hello');
    expect(Buffer.from(files.get('messages/001-reporter.gpg')!).equals(Buffer.from(binary))).toBe(true);
    expect(files.get('empty.bin')?.length).toBe(0);
  });

  it('writes the modification date in MS-DOS form', () => {
    const zip = writeZip([{ name: 'a', data: new Uint8Array([1]) }], new Date('2026-11-24T08:30:10Z'));
    const view = new DataView(zip.buffer);
    expect(view.getUint16(10, true)).toBe((8 << 11) | (30 << 5) | 5);
    expect(view.getUint16(12, true)).toBe(((2026 - 1980) << 9) | (11 << 5) | 24);
  });

  it('refuses names that would escape the folder they are unpacked into', () => {
    expect(() => writeZip([{ name: '../etc/passwd', data: new Uint8Array() }], new Date())).toThrow(/unsafe/);
    expect(() => writeZip([{ name: '/abs', data: new Uint8Array() }], new Date())).toThrow(/unsafe/);
  });
});
