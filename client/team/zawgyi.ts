/**
 * Burmese typed with a Zawgyi keyboard. Zawgyi is a font hack, not an
 * encoding: it puts its own glyphs on the Myanmar code points, so the same
 * bytes that a Zawgyi phone shows as words come out as scrambled letters in
 * the Unicode fonts an investigator's computer has. Many phones in Myanmar
 * and among migrant workers in Thailand and Malaysia still type Zawgyi.
 *
 * Google's myanmar-tools (Apache-2.0) tells Zawgyi from Unicode with a Markov
 * model and converts it. Its model is a 28 KB string, so it is loaded only
 * when a decrypted text has a Myanmar character at all (a dynamic import:
 * its own chunk, not in the workspace bundle). The stored ciphertext is never
 * touched: only what the page shows changes, and the original stays one click
 * away, because the conversion is a guess that can be wrong.
 */

/** Myanmar, Myanmar Extended-A and Extended-B: the code points Zawgyi reuses. */
const MYANMAR = /[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]/u;

/**
 * The probability above which a text is taken for Zawgyi. myanmar-tools
 * recommends 0.95 for "definitely Zawgyi"; below it, Unicode Burmese (the
 * common case for a worker whose phone types Unicode) is left alone.
 */
export const ZAWGYI_THRESHOLD = 0.95;

export function hasMyanmar(text: string): boolean {
  return MYANMAR.test(text);
}

interface Tools {
  probability(text: string): number;
  toUnicode(text: string): string;
}

let tools: Promise<Tools> | undefined;

/** Loads the detector and converter once, on first need. */
function loadTools(): Promise<Tools> {
  tools ??= import('myanmar-tools').then((module) => {
    // CommonJS seen through an ES import: the classes are named exports, or under `default` (Vite's interop).
    const lib = ('ZawgyiDetector' in module ? module : (module as unknown as { default: typeof module }).default);
    const detector = withBase64Buffer(() => new lib.ZawgyiDetector());
    const converter = new lib.ZawgyiConverter();
    return { probability: (text) => detector.getZawgyiProbability(text), toUnicode: (text) => converter.zawgyiToUnicode(text) };
  });
  return tools;
}

/**
 * The package on npm ships only its Node build, whose detector reads its
 * model with `new Buffer(base64)` while it is constructed. In the browser a
 * stand-in decoding base64 with atob() is put in place for that synchronous
 * call only, and removed again (nothing else can run in between).
 */
export function withBase64Buffer<T>(construct: () => T): T {
  const scope = globalThis as { Buffer?: unknown };
  if (scope.Buffer !== undefined) return construct(); // Node (unit tests): the real Buffer
  scope.Buffer = function Base64Bytes(data: string): Uint8Array {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  };
  try {
    return construct();
  } finally {
    delete scope.Buffer;
  }
}

/** What to show for a decrypted text: Unicode, and the original when it was converted from Zawgyi. */
export interface ShownText {
  text: string;
  /** Set when the text was typed in Zawgyi: what the worker's phone sent. */
  zawgyi?: string;
}

/** Converts a text typed in Zawgyi to Unicode; any other text (Unicode Burmese, other scripts) is returned as it is. */
export async function readZawgyi(text: string): Promise<ShownText> {
  if (!hasMyanmar(text)) return { text };
  const { probability, toUnicode } = await loadTools();
  if (!(probability(text) > ZAWGYI_THRESHOLD)) return { text };
  const unicode = toUnicode(text);
  return unicode === text ? { text } : { text: unicode, zawgyi: text };
}
