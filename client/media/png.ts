/**
 * PNG: drops the text and date chunks (tEXt, zTXt, iTXt: author, software,
 * comments; eXIf: EXIF with GPS; tIME: when it was last changed). Every
 * other chunk is copied with its CRC; nothing is decoded.
 */
import { MediaFormatError } from './errors.ts';
import { concat } from './jpeg.ts';

const DROP = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

export function stripPng(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const parts: Uint8Array[] = [input.subarray(0, 8)];
  let at = 8;
  while (at < input.length) {
    if (at + 12 > input.length) throw new MediaFormatError('PNG truncated');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...input.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > input.length) throw new MediaFormatError('PNG truncated');
    if (!DROP.has(type)) parts.push(input.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return concat(parts);
}
