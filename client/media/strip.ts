/**
 * Removes identifying metadata from a file in the browser, BEFORE it is
 * encrypted: location, device, author, dates. One stripper per kind; kinds
 * without a stripper (GIF, WebM, Ogg, WAV — what the form records itself, or
 * plain animations) pass as they are. See each module for what it removes.
 */
import { stripJpeg } from './jpeg.ts';
import { stripMp4 } from './mp4.ts';
import { stripPdf } from './pdf.ts';
import { stripPng } from './png.ts';
import type { MediaKind } from './sniff.ts';
import { stripWebp } from './webp.ts';

export { MediaFormatError } from './errors.ts';

export function stripMetadata(kind: MediaKind, bytes: Uint8Array): Uint8Array {
  switch (kind) {
    case 'jpeg': return stripJpeg(bytes);
    case 'png': return stripPng(bytes);
    case 'webp': return stripWebp(bytes);
    case 'pdf': return stripPdf(bytes);
    case 'mp4':
    case 'mov': return stripMp4(bytes);
    case 'gif':
    case 'webm':
    case 'ogg':
    case 'wav': return bytes;
  }
}
