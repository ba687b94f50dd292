/**
 * For tests: an independent ZIP reader that walks the central directory the
 * way unzip does and checks every CRC-32 (stored entries only).
 */
import { crc32 } from './zip.ts';

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export function readZip(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  check(view.getUint32(eocd, true) === 0x06054b50, 'no end of central directory');
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    check(view.getUint32(at, true) === 0x02014b50, 'bad central directory entry');
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    check(view.getUint32(local, true) === 0x04034b50, 'bad local header');
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(start, start + size);
    check(crc32(data) === crc, `CRC mismatch in ${name}`);
    files.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

