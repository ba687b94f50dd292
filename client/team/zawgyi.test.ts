/**
 * Zawgyi detection on real text: sentences a worker would write, typed once
 * with a Zawgyi keyboard and once in Unicode, and a line of the Myanmar
 * government news text that myanmar-tools itself was checked against.
 */
import { describe, expect, it } from 'vitest';
import { ZawgyiDetector } from 'myanmar-tools';
import { hasMyanmar, readZawgyi, withBase64Buffer } from './zawgyi.ts';

/** "The employer does not pay the wages", "Makes us work overtime until midnight", and a news line. */
const PAIRS = [
  { zawgyi: 'အလုပ္ရွင္က လစာ မေပးဘူး', unicode: 'အလုပ်ရှင်က လစာ မပေးဘူး' },
  { zawgyi: 'ည သန္းေခါင္အထိ အခ်ိန္ပိုဆင္းခိုင္းတယ္', unicode: 'ည သန်းခေါင်အထိ အချိန်ပိုဆင်းခိုင်းတယ်' },
  { zawgyi: 'ေရေဘးကယ္ဆယ္ေရးစခန္းမ်ားသို႔ သြားေရာက္ၿပီး', unicode: 'ရေဘေးကယ်ဆယ်ရေးစခန်းများသို့ သွားရောက်ပြီး' },
] as const;

describe('Zawgyi in a decrypted text', () => {
  it.each(PAIRS)('converts Zawgyi "$zawgyi" to Unicode and keeps the original', async ({ zawgyi, unicode }) => {
    expect(await readZawgyi(zawgyi)).toEqual({ text: unicode, zawgyi });
  });

  it.each(PAIRS)('leaves Unicode Burmese "$unicode" as it is, unflagged', async ({ unicode }) => {
    expect(await readZawgyi(unicode)).toEqual({ text: unicode });
  });

  it('converts Zawgyi inside a text in another script, leaving the rest', async () => {
    const text = `Line 3, 22:00 — ${PAIRS[1].zawgyi}`;
    expect(await readZawgyi(text)).toEqual({ text: `Line 3, 22:00 — ${PAIRS[1].unicode}`, zawgyi: text });
  });

  it('leaves a short word that reads the same in both alone', async () => {
    expect(await readZawgyi('ဘူး')).toEqual({ text: 'ဘူး' });
  });

  it('does not look at text without Myanmar characters (the detector is not even loaded for it)', async () => {
    for (const text of ['', 'The supervisor shouts', '工资没有按时发', 'Quản đốc la mắng', 'हमें ओवरटाइम का पैसा नहीं मिला', 'ค่าแรงไม่ครบ']) {
      expect(hasMyanmar(text)).toBe(false);
      expect(await readZawgyi(text)).toEqual({ text });
    }
    expect(hasMyanmar(PAIRS[0].unicode)).toBe(true);
  });

  it('builds the detector where there is no Node Buffer (a browser), and leaves no Buffer behind', () => {
    const scope = globalThis as { Buffer?: unknown };
    const nodeBuffer = scope.Buffer;
    delete scope.Buffer;
    try {
      const detector = withBase64Buffer(() => new ZawgyiDetector());
      expect(scope.Buffer).toBeUndefined();
      expect(detector.getZawgyiProbability(PAIRS[0].zawgyi)).toBeGreaterThan(0.95);
      expect(detector.getZawgyiProbability(PAIRS[0].unicode)).toBeLessThan(0.05);
    } finally {
      scope.Buffer = nodeBuffer;
    }
  });
});
