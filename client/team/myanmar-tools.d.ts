/** Types for Google's myanmar-tools (Apache-2.0), which ships plain CommonJS. */
declare module 'myanmar-tools' {
  export class ZawgyiDetector {
    /** Probability (0–1) that the text is Zawgyi; -Infinity when it has no Myanmar code point. */
    getZawgyiProbability(input: string): number;
  }
  export class ZawgyiConverter {
    zawgyiToUnicode(input: string): string;
    unicodeToZawgyi(input: string): string;
  }
}
