/**
 * JPEG: removes the segments that carry who/where/when — APP1 (EXIF with GPS,
 * XMP), APP13 (IPTC, Photoshop) and COM (comments) — by walking the marker
 * segments (between scans too) and copying everything else byte for byte.
 * Whatever follows the end-of-image marker (some phones append a second
 * picture with its own EXIF, or vendor data) is dropped. The picture itself
 * is not decoded or re-encoded. (EXIF orientation goes too:
 * a phone photo may then show turned; the investigator can rotate it.)
 */
import { MediaFormatError } from './errors.ts';

const DROP = new Set([0xe1, 0xed, 0xfe]);
/** Markers without a length: SOI, EOI, RSTn, TEM. */
const STANDALONE = (m: number) => m === 0xd8 || m === 0xd9 || (m >= 0xd0 && m <= 0xd7) || m === 0x01;

export function stripJpeg(input: Uint8Array): Uint8Array {
  if (input[0] !== 0xff || input[1] !== 0xd8) throw new MediaFormatError('not a JPEG');
  const parts: Uint8Array[] = [input.subarray(0, 2)];
  let at = 2;
  while (at < input.length) {
    if (input[at] !== 0xff) throw new MediaFormatError('JPEG segment expected');
    let marker = input[at + 1]!;
    // Fill bytes: any number of 0xFF before a marker.
    let next = at + 1;
    while (marker === 0xff && next + 1 < input.length) marker = input[++next]!;
    const markerStart = next - 1;
    if (STANDALONE(marker)) {
      parts.push(input.subarray(markerStart, next + 1));
      at = next + 1;
      if (marker === 0xd9) break;
      continue;
    }
    if (next + 2 >= input.length) throw new MediaFormatError('JPEG truncated');
    const length = (input[next + 1]! << 8) | input[next + 2]!;
    if (length < 2) throw new MediaFormatError('JPEG segment length');
    const end = next + 1 + length;
    if (end > input.length) throw new MediaFormatError('JPEG truncated');
    if (marker === 0xda) {
      // Start of scan: copy the entropy-coded data up to the next marker (0xFF followed by
      // anything but a stuffed 0x00 or a restart marker). Progressive JPEGs have several scans.
      let scan = end;
      while (scan + 1 < input.length) {
        if (input[scan] === 0xff) {
          const b = input[scan + 1]!;
          if (b !== 0x00 && b !== 0xff && !(b >= 0xd0 && b <= 0xd7)) break;
        }
        scan++;
      }
      if (scan + 1 >= input.length) scan = input.length;
      parts.push(input.subarray(markerStart, scan));
      at = scan;
      continue;
    }
    if (!DROP.has(marker)) parts.push(input.subarray(markerStart, end));
    at = end;
  }
  return concat(parts);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
