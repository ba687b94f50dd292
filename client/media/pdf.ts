/**
 * PDF: blanks, in place and at the same length, the values of the document
 * information entries (/Author /Creator /Producer /Title /Subject /Keywords)
 * and the contents of XMP metadata streams. Every byte offset stays where it
 * was, so the cross-reference table stays right and nothing is re-written.
 *
 * Strings become strings of spaces: `(Jane Doe)` → `(        )`,
 * `<FEFF00…>` → `<      …>` (whitespace in a hex string is ignored, so it
 * reads as empty). An XMP stream becomes spaces and its /Filter entry is
 * blanked too, so that no reader tries to inflate spaces.
 *
 * Not reached: an information dictionary inside a compressed object stream
 * (PDF 1.5+ files may put it there), and text inside page content.
 */
const SPACE = 0x20;
const EMPTY_XMP = new TextEncoder().encode(
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>',
);
const KEYS = /\/(Author|Creator|Producer|Title|Subject|Keywords)(?=[\s(<\/])\s*/g;

export function stripPdf(input: Uint8Array): Uint8Array {
  const out = input.slice();
  const text = latin1(input);
  const streams = streamRanges(text);
  const inStream = (at: number) => streams.some((s) => at >= s.start && at < s.end);

  for (const match of text.matchAll(KEYS)) {
    const at = match.index + match[0].length;
    if (inStream(match.index)) continue;
    if (text[at] === '(') blank(out, at + 1, literalEnd(text, at));
    else if (text[at] === '<' && text[at + 1] !== '<') blank(out, at + 1, text.indexOf('>', at));
  }

  for (const stream of streams) {
    const dict = text.slice(stream.dictStart, stream.dictEnd);
    if (!/\/Type\s*\/Metadata\b/.test(dict) || !/\/Subtype\s*\/XML\b/.test(dict)) continue;
    blank(out, stream.start, stream.end);
    // An empty but well-formed packet where it fits, so that readers do not warn about broken XMP.
    if (EMPTY_XMP.length <= stream.end - stream.start) out.set(EMPTY_XMP, stream.start);
    const filter = /\/Filter\s*(\/[A-Za-z0-9]+|\[[^\]]*\])/.exec(dict);
    if (filter) blank(out, stream.dictStart + filter.index, stream.dictStart + filter.index + filter[0].length);
  }
  return out;
}

interface StreamRange {
  /** The object's dictionary, from its `obj` keyword to `stream`. */
  dictStart: number;
  dictEnd: number;
  /** The stream's data. */
  start: number;
  end: number;
}

function streamRanges(text: string): StreamRange[] {
  const ranges: StreamRange[] = [];
  const keyword = /\bstream(\r\n|\n|\r)/g;
  let match: RegExpExecArray | null;
  while ((match = keyword.exec(text))) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const dictStart = Math.max(0, text.lastIndexOf('obj', match.index));
    ranges.push({ dictStart, dictEnd: match.index, start, end });
    keyword.lastIndex = end + 'endstream'.length;
  }
  return ranges;
}

/** Index of the `)` closing the literal string that opens at `open` (nesting and escapes). */
function literalEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function blank(out: Uint8Array, from: number, to: number): void {
  if (to < 0 || to <= from) return;
  out.fill(SPACE, from, to);
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return text;
}
