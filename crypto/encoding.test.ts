import { describe, expect, it } from 'vitest';
import { CryptoInputError } from './errors.ts';
import { fromBase64, fromBase64Url, toBase64Url, utf8 } from './encoding.ts';
import { bucketSize, pad, unpad } from './padding.ts';

describe('base64url', () => {
  it('matches the RFC 4648 vectors without padding', () => {
    const vectors: Array<[string, string]> = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      expect(toBase64Url(utf8(plain))).toBe(encoded);
      expect(fromBase64Url(encoded)).toEqual(utf8(plain));
    }
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('refuses standard base64, padding, stray bits and impossible lengths', () => {
    for (const bad of ['Zm9v+', 'Zg==', 'Zh', 'A', 'Zm9/']) expect(() => fromBase64Url(bad)).toThrow(CryptoInputError);
  });
});

describe('base64 (standard alphabet, padded)', () => {
  it('matches the RFC 4648 vectors and Node for every length up to 64 bytes', () => {
    const vectors: Array<[string, string]> = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) expect(fromBase64(encoded)).toEqual(utf8(plain));
    for (let n = 0; n <= 64; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31 + 0xfb) & 0xff);
      expect(fromBase64(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
  });

  it('refuses base64url digits, missing or misplaced padding, three pads, stray bits and impossible lengths', () => {
    for (const bad of ['-_8=', 'Zg', 'Zm8', 'Zg=a', 'Z===', '====', 'Zh==', 'Zm9=', 'A', 'Zm9v Zg==', 'Zm9v\n']) {
      expect(() => fromBase64(bad), bad).toThrow(CryptoInputError);
    }
  });
});

describe('padding', () => {
  it('puts sizes into Padmé buckets of at least 1 KiB', () => {
    expect(bucketSize(1)).toBe(1024);
    expect(bucketSize(1024)).toBe(1024);
    expect(bucketSize(1025)).toBe(1088);
    expect(bucketSize(5000)).toBe(5120);
    expect(bucketSize(20 * 1024 * 1024 + 1)).toBe(20 * 1024 * 1024 + 524288);
    for (let n = 1025; n < 3_000_000; n = Math.floor(n * 1.37)) {
      const b = bucketSize(n);
      expect(b).toBeGreaterThanOrEqual(n);
      expect(b / n).toBeLessThan(1.13);
    }
  });

  it('round-trips and hides the length inside the bucket', () => {
    const short = pad(utf8('a'));
    const longer = pad(utf8('a'.repeat(900)));
    expect(short.length).toBe(longer.length);
    expect(unpad(short)).toEqual(utf8('a'));
  });

  it('fills with random bytes, not zeros', () => {
    const padded = pad(new Uint8Array(0));
    const zeros = padded.subarray(4).filter((b) => b === 0).length;
    expect(zeros).toBeLessThan(40);
  });

  it('refuses a length that points past the end', () => {
    const padded = pad(utf8('x'));
    new DataView(padded.buffer).setUint32(0, 5000);
    expect(() => unpad(padded)).toThrow(CryptoInputError);
  });
});
