/**
 * What a file really is, from its first bytes ("magic numbers"), and whether
 * that agrees with what its name and its browser-given type claim. The form
 * accepts only the kinds below; anything else, or a file that claims to be
 * one kind and is another, is refused with a clear message.
 */
export const MEDIA_KINDS = ['jpeg', 'png', 'webp', 'gif', 'pdf', 'mp4', 'mov', 'webm', 'ogg', 'wav'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/** The kind of file `head` (its first 64 bytes or more) starts like, or undefined. */
export function sniff(head: Uint8Array): MediaKind | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(head, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'webp';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return 'wav';
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'gif';
  if (ascii(head, 0, '%PDF-')) return 'pdf';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (ascii(head, 0, 'OggS')) return 'ogg';
  if (ascii(head, 4, 'ftyp')) {
    // HEIF/AVIF pictures use the same box format; we do not accept them (no metadata stripper).
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis'].some((brand) => ascii(head, 8, brand))) return undefined;
    return ascii(head, 8, 'qt  ') ? 'mov' : 'mp4';
  }
  // QuickTime files from older cameras may start with other atoms.
  if (['moov', 'mdat', 'wide', 'free', 'skip'].some((atom) => ascii(head, 4, atom))) return 'mov';
  return undefined;
}

/** Which kinds a declared media type or file extension stands for. */
const CLAIMS: Record<string, readonly MediaKind[]> = {
  'image/jpeg': ['jpeg'], 'image/jpg': ['jpeg'], 'image/pjpeg': ['jpeg'], jpg: ['jpeg'], jpeg: ['jpeg'], jfif: ['jpeg'],
  'image/png': ['png'], png: ['png'],
  'image/webp': ['webp'], webp: ['webp'],
  'image/gif': ['gif'], gif: ['gif'],
  'application/pdf': ['pdf'], pdf: ['pdf'],
  'video/mp4': ['mp4', 'mov'], 'audio/mp4': ['mp4'], 'audio/x-m4a': ['mp4'], 'audio/m4a': ['mp4'], mp4: ['mp4', 'mov'], m4a: ['mp4'], m4v: ['mp4', 'mov'],
  'video/quicktime': ['mov', 'mp4'], mov: ['mov', 'mp4'], qt: ['mov'],
  'video/3gpp': ['mp4'], '3gp': ['mp4'],
  'video/webm': ['webm'], 'audio/webm': ['webm'], webm: ['webm'], weba: ['webm'],
  'audio/ogg': ['ogg'], 'video/ogg': ['ogg'], 'application/ogg': ['ogg'], ogg: ['ogg'], oga: ['ogg'], opus: ['ogg'],
  'audio/wav': ['wav'], 'audio/x-wav': ['wav'], 'audio/wave': ['wav'], 'audio/vnd.wave': ['wav'], wav: ['wav'],
};

/** Types and names that claim nothing in particular. */
const NEUTRAL = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export type SniffResult =
  | { ok: true; kind: MediaKind; type: string }
  | { ok: false; reason: 'unsupported' | 'mislabelled'; kind?: MediaKind };

/**
 * Checks a file's bytes against its claims. `type` is the browser's
 * `File.type` (may be empty); `name` its file name. `voice`: a recording
 * from the form, whose WebM/Ogg/MP4 is audio.
 */
export function classify(head: Uint8Array, claim: { name: string; type: string; voice?: boolean }): SniffResult {
  const kind = sniff(head);
  if (!kind) return { ok: false, reason: 'unsupported' };
  const declared = claim.type.split(';', 1)[0]!.trim().toLowerCase();
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(claim.name)?.[1]?.toLowerCase() ?? '';
  for (const said of [declared, extension]) {
    if (NEUTRAL.has(said)) continue;
    const allowed = CLAIMS[said];
    // An unknown extension ("IMG_0001.heic" is refused by its bytes anyway) claims nothing we know.
    if (allowed && !allowed.includes(kind)) return { ok: false, reason: 'mislabelled', kind };
    if (!allowed && said === declared) return { ok: false, reason: 'mislabelled', kind };
  }
  const audio = claim.voice === true || declared.startsWith('audio/');
  return { ok: true, kind, type: mediaType(kind, audio) };
}

export function mediaType(kind: MediaKind, audio = false): string {
  switch (kind) {
    case 'jpeg': return 'image/jpeg';
    case 'png': return 'image/png';
    case 'webp': return 'image/webp';
    case 'gif': return 'image/gif';
    case 'pdf': return 'application/pdf';
    case 'mp4': return audio ? 'audio/mp4' : 'video/mp4';
    case 'mov': return 'video/quicktime';
    case 'webm': return audio ? 'audio/webm' : 'video/webm';
    case 'ogg': return 'audio/ogg';
    case 'wav': return 'audio/wav';
  }
}
