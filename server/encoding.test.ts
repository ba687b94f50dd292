/** decodeField accepts exactly what the strict portable decoder accepts, and decodes it the same. */
import { describe, expect, it } from 'vitest';
import { fromBase64Url, randomBytes, toBase64Url } from '../crypto/index.ts';
import { decodeField } from './encoding.ts';
import { HttpError } from './errors.ts';

const strict = (text: string): Uint8Array | 'refused' => {
  try {
    return fromBase64Url(text);
  } catch {
    return 'refused';
  }
};
const fast = (text: string): Uint8Array | 'refused' => {
  try {
    return decodeField('report', text);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', message: 'report: not valid base64url' });
    return 'refused';
  }
};

describe('decodeField', () => {
  it('decodes canonical base64url of every length to the same bytes, as a plain Uint8Array', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = randomBytes(n);
      const decoded = decodeField('report', toBase64Url(bytes));
      expect(decoded).toEqual(bytes);
      expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype);
      expect(decoded.byteOffset).toBe(0);
      expect(decoded.buffer.byteLength).toBe(n);
    }
    expect(decodeField('report', toBase64Url(randomBytes(6000)))).toHaveLength(6000);
  });

  it('refuses what the strict decoder refuses: padding, other alphabets, stray bits, impossible lengths, spaces', () => {
    const texts = [
      'AQ==', 'AQI=', 'AQ', 'AR', 'AQJ', 'AQK', 'A', 'AQIDB', 'ab+/', 'ab-_', 'ab cd', ' abcd', 'abcd\n', 'ab.d', 'ab=d', '====',
      'é', 'abc\u0000', '', toBase64Url(randomBytes(33)) + 'x', toBase64Url(randomBytes(31)).slice(0, -1) + 'B',
    ];
    for (const text of texts) expect([text, fast(text)]).toEqual([text, strict(text)]);
  });
});
