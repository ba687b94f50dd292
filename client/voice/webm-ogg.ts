/**
 * Chromium's MediaRecorder writes WebM/Opus only (it answers `false` to
 * `audio/ogg`), and a deployment's recording of a listen prompt is stored
 * and checked as Ogg Opus (common/prompt-audio.ts). So the workspace remuxes
 * in the browser, before signing: the Opus packets are copied as they are
 * into Ogg pages — no decoding, no re-encoding, nothing else of the WebM
 * file is kept. The server's checker then holds its one format, and the
 * worker's phone plays the same container as the built clips.
 *
 * Refused (WebmError), rather than guessed at: anything but one audio track
 * with codec A_OPUS and an OpusHead codec-private, laced blocks, blocks of
 * another track, elements that run past the end, no audio at all.
 */
import { oggCrc } from '../../common/prompt-audio.ts';

export class WebmError extends Error {
  override name = 'WebmError';
}

const ID = {
  EBML: 0x1a45dfa3, Segment: 0x18538067, Cluster: 0x1f43b675, Tracks: 0x1654ae6b, TrackEntry: 0xae, TrackNumber: 0xd7,
  TrackType: 0x83, CodecID: 0x86, CodecPrivate: 0x63a2, SimpleBlock: 0xa3, BlockGroup: 0xa0, Block: 0xa1,
} as const;
/** Elements whose children are read in turn (their size, often "unknown" in a live recording, is not needed). */
const MASTERS = new Set<number>([ID.Segment, ID.Cluster, ID.Tracks, ID.TrackEntry, ID.BlockGroup]);

function vint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } {
  const first = bytes[at];
  if (first === undefined || first === 0) throw new WebmError('damaged element header');
  const length = Math.clz32(first) - 23;
  if (length > 8 || at + length > bytes.length) throw new WebmError('damaged element header');
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let i = 1; i < length; i += 1) {
    value = value * 256 + bytes[at + i]!;
    if (bytes[at + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

/** Samples (at 48 kHz) in one Opus packet, from its TOC byte (RFC 6716, 3.1). */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) throw new WebmError('empty Opus packet');
  const config = toc >> 3;
  const frame = config < 12 ? [480, 960, 1920, 2880][config % 4]! : config < 16 ? [480, 960][config % 2]! : [120, 240, 480, 960][config % 4]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : (packet[1] ?? 0) & 0x3f;
  if (frames === 0) throw new WebmError('Opus packet without frames');
  return frame * frames;
}

/** The OpusHead and the Opus packets of a WebM/Opus file. */
export function readWebmOpus(bytes: Uint8Array): { head: Uint8Array; packets: Uint8Array[] } {
  const tracks: Array<{ number?: number; codec?: string; head?: Uint8Array; type?: number }> = [];
  const blocks: Array<{ track: number; frame: Uint8Array }> = [];
  let at = 0;
  const text = (b: Uint8Array) => String.fromCharCode(...b).replace(/\0+$/, '');
  const uint = (b: Uint8Array) => b.reduce((n, x) => n * 256 + x, 0);
  while (at < bytes.length) {
    const id = vint(bytes, at, true);
    const size = vint(bytes, at + id.length, false);
    const start = at + id.length + size.length;
    if (MASTERS.has(id.value)) {
      if (id.value === ID.TrackEntry) tracks.push({});
      at = start;
      continue;
    }
    if (size.unknown) throw new WebmError('an element of unknown size that is not a container');
    const end = start + size.value;
    if (end > bytes.length) throw new WebmError('an element runs past the end of the file');
    const body = bytes.subarray(start, end);
    const track = tracks[tracks.length - 1];
    if (id.value === ID.TrackNumber && track) track.number = uint(body);
    else if (id.value === ID.TrackType && track) track.type = uint(body);
    else if (id.value === ID.CodecID && track) track.codec = text(body);
    else if (id.value === ID.CodecPrivate && track) track.head = body;
    else if (id.value === ID.SimpleBlock || id.value === ID.Block) {
      const number = vint(body, 0, false);
      const flags = body[number.length + 2];
      if (flags === undefined) throw new WebmError('a block cut short');
      if (flags & 0x06) throw new WebmError('laced blocks');
      const frame = body.subarray(number.length + 3);
      if (frame.length === 0) throw new WebmError('an empty block');
      blocks.push({ track: number.value, frame });
    } else if (id.value === ID.EBML) {
      if (at !== 0) throw new WebmError('a second file inside the first');
    }
    at = end;
  }
  if (tracks.length !== 1) throw new WebmError('not exactly one track');
  const [only] = tracks;
  if (only!.codec !== 'A_OPUS' || !only!.head || only!.number === undefined) throw new WebmError('not Opus');
  const head = only!.head;
  if (head.length < 19 || text(head.subarray(0, 8)) !== 'OpusHead') throw new WebmError('no Opus header');
  if (blocks.length === 0) throw new WebmError('no sound');
  if (blocks.some((b) => b.track !== only!.number)) throw new WebmError('a block of another track');
  return { head, packets: blocks.map((b) => b.frame) };
}

const SERIAL = 0x4f6d6264; // fixed: the same recording gives the same bytes

function page(body: Uint8Array[], lacing: number[], flags: number, granule: bigint, sequence: number): Uint8Array {
  const length = body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(27 + lacing.length + length);
  const view = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53, 0, flags]);
  view.setBigInt64(6, granule, true);
  view.setUint32(14, SERIAL, true);
  view.setUint32(18, sequence, true);
  out[26] = lacing.length;
  out.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const part of body) {
    out.set(part, at);
    at += part.length;
  }
  view.setUint32(22, oggCrc(out), true);
  return out;
}

const lacingOf = (length: number) => [...Array<number>(Math.floor(length / 255)).fill(255), length % 255];

/** The same Opus packets as one Ogg Opus stream (RFC 7845): OpusHead, OpusTags, then the audio pages, the last marked as the end. */
export function webmOpusToOgg(bytes: Uint8Array): Uint8Array {
  const { head, packets } = readWebmOpus(bytes);
  const tags = new Uint8Array([...'OpusTags'].map((c) => c.charCodeAt(0)).concat([5, 0, 0, 0], [...'ombud'].map((c) => c.charCodeAt(0)), [0, 0, 0, 0]));
  const pages = [page([head], lacingOf(head.length), 0x02, 0n, 0), page([tags], lacingOf(tags.length), 0, 0n, 1)];
  let granule = 0n;
  let body: Uint8Array[] = [];
  let lacing: number[] = [];
  packets.forEach((packet, i) => {
    const laces = lacingOf(packet.length);
    if (laces.length > 255) throw new WebmError('an Opus packet too large');
    if (lacing.length + laces.length > 255) {
      pages.push(page(body, lacing, 0, granule, pages.length));
      body = [];
      lacing = [];
    }
    body.push(packet);
    lacing.push(...laces);
    granule += BigInt(opusPacketSamples(packet));
    if (i === packets.length - 1) pages.push(page(body, lacing, 0x04, granule, pages.length));
  });
  const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
