/**
 * WebP (RIFF): drops the EXIF and XMP chunks, clears their flags in the VP8X
 * header, and rewrites the RIFF size. Image chunks are copied unchanged.
 */
import { MediaFormatError } from './errors.ts';
import { concat } from './jpeg.ts';

const DROP = new Set(['EXIF', 'XMP ']);
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;

export function stripWebp(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const riffEnd = Math.min(input.length, 8 + view.getUint32(4, true));
  const parts: Uint8Array[] = [];
  let at = 12;
  while (at + 8 <= riffEnd) {
    const type = String.fromCharCode(...input.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size & 1);
    if (at + 8 + size > riffEnd) throw new MediaFormatError('WebP truncated');
    if (!DROP.has(type)) {
      const chunk = input.slice(at, Math.min(end, riffEnd));
      if (type === 'VP8X') chunk[8] = chunk[8]! & ~(FLAG_EXIF | FLAG_XMP);
      parts.push(chunk);
    }
    at = end;
  }
  const body = concat(parts);
  const out = new Uint8Array(12 + body.length);
  out.set(input.subarray(0, 12));
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  out.set(body, 12);
  return out;
}
