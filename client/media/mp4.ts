/**
 * MP4 / QuickTime (ISO BMFF): user data and metadata boxes — `udta` and
 * `meta`, where phones keep the place (©xyz), the device and the date — and
 * Adobe XMP `uuid` boxes are renamed to `free` and their contents zeroed.
 * Sizes and offsets do not change, so sample tables (stco/co64) stay right.
 */
import { MediaFormatError } from './errors.ts';

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex', 'moof', 'traf', 'mfra']);
const BLANK = new Set(['udta', 'meta']);
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
const FREE = [0x66, 0x72, 0x65, 0x65];

export function stripMp4(input: Uint8Array): Uint8Array {
  const out = input.slice();
  walk(out, 0, out.length);
  return out;
}

function walk(bytes: Uint8Array, from: number, to: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = from;
  while (at + 8 <= to) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) throw new MediaFormatError('MP4 truncated');
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header || at + size > to) throw new MediaFormatError('MP4 box size');
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const isXmp = type === 'uuid' && hex(bytes.subarray(at + header, at + header + 16)) === XMP_UUID;
    if (BLANK.has(type) || isXmp) {
      bytes.set(FREE, at + 4);
      bytes.fill(0, at + header, at + size);
    } else if (CONTAINERS.has(type)) {
      walk(bytes, at + header, at + size);
    }
    at += size;
  }
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
