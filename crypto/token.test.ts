import { describe, expect, it } from 'vitest';
import { dammDigit, formatToken, generateToken, parseToken, TOKEN_DIGITS } from './token.ts';

describe('case tokens', () => {
  it('computes the Damm check digit of the published example', () => {
    expect(dammDigit('572')).toBe(4);
    expect(dammDigit('5724')).toBe(0);
  });

  it('makes 28 digits with a valid check digit and at least 80 bits of randomness', () => {
    const token = generateToken();
    expect(token).toMatch(/^\d{28}$/);
    expect(TOKEN_DIGITS).toBe(28);
    expect((TOKEN_DIGITS - 1) * Math.log2(10)).toBeGreaterThanOrEqual(80);
    expect(parseToken(token)).toEqual({ ok: true, token });
  });

  it('does not repeat itself', () => {
    const seen = new Set(Array.from({ length: 500 }, generateToken));
    expect(seen.size).toBe(500);
  });

  it('catches every single mistyped digit and every swap of neighbours', () => {
    for (let n = 0; n < 20; n++) {
      const token = generateToken();
      for (let i = 0; i < token.length; i++) {
        for (let d = 0; d < 10; d++) {
          if (String(d) === token[i]) continue;
          const typo = token.slice(0, i) + d + token.slice(i + 1);
          expect(parseToken(typo)).toEqual({ ok: false, reason: 'check' });
        }
        if (i + 1 < token.length && token[i] !== token[i + 1]) {
          const swapped = token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
          expect(parseToken(swapped)).toEqual({ ok: false, reason: 'check' });
        }
      }
    }
  });

  it('groups digits by four for reading and accepts them back with any separator', () => {
    const token = generateToken();
    const shown = formatToken(token);
    expect(shown.split(' ')).toHaveLength(7);
    expect(parseToken(shown)).toEqual({ ok: true, token });
    expect(parseToken(shown.replaceAll(' ', '-'))).toEqual({ ok: true, token });
  });

  it('reads full-width, Devanagari and Thai digits as the same token', () => {
    const token = generateToken();
    const fullWidth = [...token].map((d) => String.fromCodePoint(0xff10 + Number(d))).join('');
    const devanagari = [...token].map((d) => String.fromCodePoint(0x966 + Number(d))).join('');
    const thai = [...token].map((d) => String.fromCodePoint(0xe50 + Number(d))).join('');
    for (const input of [fullWidth, devanagari, thai]) expect(parseToken(input)).toEqual({ ok: true, token });
  });

  it('says why a token is wrong', () => {
    expect(parseToken('1234')).toEqual({ ok: false, reason: 'length' });
    expect(parseToken('')).toEqual({ ok: false, reason: 'length' });
    expect(parseToken('1234 abcd')).toEqual({ ok: false, reason: 'characters' });
  });
});
