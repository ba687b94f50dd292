/**
 * Whether a file a deployment offers as its own recording of a listen prompt
 * is really what the page will play: Ogg Opus, read page by page to the last
 * byte (docs/listening.md, "a deployment's own recordings"). The server is to
 * run this before writing anything; it is pure so that the workspace can
 * say the same thing before uploading.
 *
 * Checked: the magic bytes and structure of every Ogg page (version 0, one
 * logical stream, contiguous sequence numbers, each page's CRC), the Opus
 * identification header (`OpusHead`, version 1, one or two channels, channel
 * mapping 0) on the first page alone, the comment header (`OpusTags`) next,
 * the end-of-stream flag on the last page, and a size and a duration limit.
 * Anything else — another container, a truncated or padded file, a second
 * stream hidden behind the first — is refused with a stable code.
 */

/** Largest recording accepted (a long info section at 32 kbit/s is well under it). */
export const PROMPT_MAX_BYTES = 1024 * 1024;
/** Longest recording accepted. */
export const PROMPT_MAX_MS = 3 * 60 * 1000;

export const PROMPT_AUDIO_ERRORS = ['prompt_not_audio', 'prompt_too_large', 'prompt_too_long'] as const;
export type PromptAudioError = (typeof PROMPT_AUDIO_ERRORS)[number];

export type PromptAudio =
  | { ok: true; container: 'ogg-opus'; channels: number; durationMs: number }
  | { ok: false; code: PromptAudioError; reason: string };

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i += 1) {
    let r = i << 24;
    for (let j = 0; j < 8; j += 1) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, no reflection), over a page whose CRC field is zeroed. */
export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i += 1) {
    const byte = i >= 22 && i < 26 ? 0 : page[i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

const refuse = (code: PromptAudioError, reason: string): PromptAudio => ({ ok: false, code, reason });

export function inspectPromptAudio(bytes: Uint8Array): PromptAudio {
  if (bytes.length > PROMPT_MAX_BYTES) return refuse('prompt_too_large', `over ${PROMPT_MAX_BYTES} bytes`);
  if (!ascii(bytes, 0, 'OggS')) return refuse('prompt_not_audio', 'not an Ogg file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let pages = 0;
  let serial = 0;
  let channels = 0;
  let preSkip = 0;
  let granule = 0n;
  let ended = false;
  while (at < bytes.length) {
    if (ended) return refuse('prompt_not_audio', 'data after the end of the stream');
    if (at + 27 > bytes.length || !ascii(bytes, at, 'OggS') || bytes[at + 4] !== 0) return refuse('prompt_not_audio', `no Ogg page at byte ${at}`);
    const flags = bytes[at + 5]!;
    const segments = bytes[at + 26]!;
    if (at + 27 + segments > bytes.length) return refuse('prompt_not_audio', 'truncated page header');
    let bodyLength = 0;
    for (let i = 0; i < segments; i += 1) bodyLength += bytes[at + 27 + i]!;
    const end = at + 27 + segments + bodyLength;
    if (end > bytes.length) return refuse('prompt_not_audio', 'truncated page');
    const page = bytes.subarray(at, end);
    if (oggCrc(page) !== view.getUint32(at + 22, true)) return refuse('prompt_not_audio', `wrong checksum on page ${pages}`);
    const pageSerial = view.getUint32(at + 14, true);
    if (view.getUint32(at + 18, true) !== pages) return refuse('prompt_not_audio', 'pages out of sequence');
    const body = bytes.subarray(at + 27 + segments, end);
    if (pages === 0) {
      if (!(flags & 0x02)) return refuse('prompt_not_audio', 'first page does not begin the stream');
      if (!ascii(body, 0, 'OpusHead') || body.length < 19) return refuse('prompt_not_audio', 'not Opus');
      if (body[8] !== 1) return refuse('prompt_not_audio', 'unknown Opus header version');
      channels = body[9]!;
      if (channels < 1 || channels > 2 || body[18] !== 0) return refuse('prompt_not_audio', 'only mono or stereo Opus');
      preSkip = body[10]! | (body[11]! << 8);
      serial = pageSerial;
    } else {
      if (pageSerial !== serial || flags & 0x02) return refuse('prompt_not_audio', 'more than one stream');
      if (pages === 1 && !ascii(body, 0, 'OpusTags')) return refuse('prompt_not_audio', 'no Opus comment header');
    }
    granule = view.getBigInt64(at + 6, true);
    ended = (flags & 0x04) !== 0;
    at = end;
    pages += 1;
  }
  if (!ended || pages < 3) return refuse('prompt_not_audio', 'the stream does not end, or holds no sound');
  const durationMs = Math.max(0, Number(granule) - preSkip) / 48;
  if (durationMs > PROMPT_MAX_MS) return refuse('prompt_too_long', `over ${PROMPT_MAX_MS / 1000} s`);
  return { ok: true, container: 'ogg-opus', channels, durationMs };
}
