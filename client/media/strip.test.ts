/**
 * The fixtures (client/media/fixtures/located.*) are real files: Chromium
 * drew and encoded a picture and printed a PDF, then exiftool wrote a GPS
 * position, an artist, a date, IPTC, XMP and comments ("Li Wei") into them.
 * The MP4 is built here box by box (exiftool cannot write into the
 * fragmented MP4 that Chromium records).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripMetadata } from './strip.ts';
import { classify, MEDIA_KINDS, sniff } from './sniff.ts';

const fixture = (ext: string) => new Uint8Array(readFileSync(new URL(`./fixtures/located.${ext}`, import.meta.url)));
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const NAME = 'Li Wei';

function pngChunks(b: Uint8Array): string[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const types: string[] = [];
  for (let at = 8; at < b.length; at += 12 + view.getUint32(at)) types.push(latin1(b.subarray(at + 4, at + 8)));
  return types;
}

function jpegMarkers(b: Uint8Array): number[] {
  const markers: number[] = [];
  for (let at = 2; at < b.length; ) {
    const marker = b[at + 1]!;
    markers.push(marker);
    if (marker === 0xda || marker === 0xd9) break;
    at += 2 + ((b[at + 2]! << 8) | b[at + 3]!);
  }
  return markers;
}

describe('JPEG', () => {
  it('drops EXIF (GPS), XMP, IPTC and comments and keeps the picture bytes', () => {
    const input = fixture('jpeg');
    expect(jpegMarkers(input)).toEqual(expect.arrayContaining([0xe1, 0xed, 0xfe]));
    expect(latin1(input)).toContain(NAME);
    const out = stripMetadata('jpeg', input);
    expect(jpegMarkers(out)).not.toContain(0xe1);
    expect(jpegMarkers(out)).not.toContain(0xed);
    expect(jpegMarkers(out)).not.toContain(0xfe);
    expect(latin1(out)).not.toContain(NAME);
    expect(latin1(out)).not.toContain('Exif\0\0');
    // The scan (the picture) is copied byte for byte, up to and including the end marker.
    const scan = (b: Uint8Array) => latin1(b).slice(latin1(b).indexOf('\xff\xda'));
    expect(scan(out)).toBe(scan(input));
    expect([...out.subarray(-2)]).toEqual([0xff, 0xd9]);
  });

  it('drops whatever a phone appended after the end of the picture', () => {
    const input = fixture('jpeg');
    const trailer = Buffer.from('\xff\xd8\xff\xe1 second picture with EXIF Li Wei', 'latin1');
    const out = stripMetadata('jpeg', new Uint8Array(Buffer.concat([input, trailer])));
    expect(latin1(out)).not.toContain(NAME);
    expect([...out.subarray(-2)]).toEqual([0xff, 0xd9]);
  });
});

describe('PNG', () => {
  it('drops text, EXIF and time chunks and keeps the image chunks', () => {
    const input = fixture('png');
    expect(pngChunks(input)).toEqual(expect.arrayContaining(['eXIf', 'iTXt']));
    const out = stripMetadata('png', input);
    const kept = pngChunks(out);
    for (const gone of ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']) expect(kept).not.toContain(gone);
    expect(kept[0]).toBe('IHDR');
    expect(kept).toContain('IDAT');
    expect(kept.at(-1)).toBe('IEND');
    expect(latin1(out)).not.toContain(NAME);
  });
});

describe('WebP', () => {
  it('drops EXIF and XMP chunks, clears their flags and fixes the RIFF size', () => {
    const input = fixture('webp');
    expect(latin1(input)).toContain('EXIF');
    const out = stripMetadata('webp', input);
    const text = latin1(out);
    expect(text).not.toContain('EXIF');
    expect(text).not.toContain('XMP ');
    expect(text).not.toContain(NAME);
    const view = new DataView(out.buffer, out.byteOffset);
    expect(view.getUint32(4, true)).toBe(out.length - 8);
    const vp8x = text.indexOf('VP8X');
    if (vp8x >= 0) expect(out[vp8x + 8]! & 0x0c).toBe(0);
    expect(text).toMatch(/VP8[ L]/);
  });
});

describe('PDF', () => {
  it('blanks the author, creator, title and the XMP packet at the same length', () => {
    const input = fixture('pdf');
    expect(latin1(input)).toContain(NAME);
    const out = stripMetadata('pdf', input);
    expect(out.length).toBe(input.length);
    const text = latin1(out);
    expect(text).not.toContain(NAME);
    expect(text).not.toContain('Skia/PDF');
    expect(text).toMatch(/\/Author \(\s+\)/);
    // Offsets unchanged: the cross-reference table still points at "N 0 obj".
    const xref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
    expect(text.slice(xref, xref + 4)).toMatch(/^(xref|\d+ 0)/);
  });

  it('blanks hex strings and nested literal strings', () => {
    const pdf = '%PDF-1.4\n1 0 obj\n<< /Author <FEFF004C0069> /Title (a (nested) \\) name) /Producer (x) >>\nendobj\n%%EOF\n';
    const out = latin1(stripMetadata('pdf', new Uint8Array(Buffer.from(pdf, 'latin1'))));
    expect(out.length).toBe(pdf.length);
    expect(out).toContain('/Author <            >');
    expect(out).toMatch(/\/Title \( {18}\) \/Producer/);
    expect(out).toContain('/Producer ( )');
  });
});

/** ISO BMFF box: size, type, payload. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(payload);
  const out = Buffer.alloc(8 + body.length);
  out.writeUInt32BE(out.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  return new Uint8Array(out);
}
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('MP4 / QuickTime', () => {
  it('blanks udta and meta boxes (©xyz GPS) at every level, keeping sizes', () => {
    const gps = box('\xa9xyz', bytes('\0\x12\x15\xc7+22.5431+114.0579/'));
    const mp4 = Buffer.concat([
      box('ftyp', bytes('isom\0\0\x02\0isomiso2mp41')),
      box('moov', box('mvhd', new Uint8Array(100)), box('udta', gps), box('meta', bytes('\0\0\0\0'), box('ilst', bytes('Li Wei')))),
      box('mdat', bytes('video data')),
    ]);
    expect(sniff(mp4.subarray(0, 64))).toBe('mp4');
    const out = stripMetadata('mp4', new Uint8Array(mp4));
    expect(out.length).toBe(mp4.length);
    const text = latin1(out);
    expect(text).not.toContain('+22.5431');
    expect(text).not.toContain(NAME);
    expect(text).not.toContain('udta');
    expect(text).toContain('mvhd');
    expect(text).toContain('video data');
    expect(text.match(/free/g)).toHaveLength(2);
  });
});

describe('sniffing', () => {
  it('knows every accepted kind by its bytes', () => {
    const heads: Record<(typeof MEDIA_KINDS)[number], string> = {
      jpeg: '\xff\xd8\xff\xe0', png: '\x89PNG\r\n\x1a\n', webp: 'RIFF\0\0\0\0WEBPVP8 ', gif: 'GIF89a', pdf: '%PDF-1.7',
      mp4: '\0\0\0\x18ftypisom', mov: '\0\0\0\x14ftypqt  ', webm: '\x1a\x45\xdf\xa3', ogg: 'OggS\0', wav: 'RIFF\0\0\0\0WAVEfmt ',
    };
    for (const kind of MEDIA_KINDS) expect(sniff(bytes(heads[kind]))).toBe(kind);
  });

  it('refuses an unknown kind, HEIC, and a file whose name or type claims another kind', () => {
    expect(classify(bytes('MZ\x90\0'), { name: 'photo.jpg', type: 'image/jpeg' })).toEqual({ ok: false, reason: 'unsupported' });
    expect(classify(bytes('\0\0\0\x18ftypheic'), { name: 'a.heic', type: 'image/heic' })).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(classify(bytes('%PDF-1.4'), { name: 'photo.jpg', type: 'image/jpeg' })).toMatchObject({ ok: false, reason: 'mislabelled' });
    expect(classify(bytes('%PDF-1.4'), { name: 'photo.jpg', type: '' })).toMatchObject({ ok: false, reason: 'mislabelled' });
    expect(classify(bytes('\xff\xd8\xff\xe0'), { name: 'scan.pdf', type: 'application/pdf' })).toMatchObject({ ok: false, reason: 'mislabelled' });
  });

  it('accepts a file that claims nothing, and a recorded voice message as audio', () => {
    expect(classify(bytes('%PDF-1.4'), { name: 'download', type: '' })).toEqual({ ok: true, kind: 'pdf', type: 'application/pdf' });
    expect(classify(bytes('\x1a\x45\xdf\xa3'), { name: 'voice.webm', type: 'audio/webm;codecs=opus', voice: true }))
      .toEqual({ ok: true, kind: 'webm', type: 'audio/webm' });
    expect(classify(bytes('\0\0\0\x18ftypiso5'), { name: 'voice.m4a', type: 'audio/mp4' })).toEqual({ ok: true, kind: 'mp4', type: 'audio/mp4' });
  });
});
