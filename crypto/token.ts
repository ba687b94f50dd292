/**
 * Case tokens: the only thing a worker keeps. 27 random decimal digits
 * (log2(10^27) ≈ 89.7 bits) and one Damm check digit, shown in 7 groups of 4.
 * Digits are easy to write down and to type in any script; the Damm digit
 * catches every single mistyped digit and every swap of two neighbours.
 */
import { randomDigit } from './random.ts';

export const TOKEN_RANDOM_DIGITS = 27;
export const TOKEN_DIGITS = TOKEN_RANDOM_DIGITS + 1;

// Damm's totally anti-symmetric quasigroup of order 10.
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** The Damm check digit of a string of ASCII digits. */
export function dammDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) interim = DAMM[interim]![ch.charCodeAt(0) - 48]!;
  return interim;
}

/** A fresh token: 28 ASCII digits, the last one the check digit. */
export function generateToken(): string {
  let digits = '';
  for (let i = 0; i < TOKEN_RANDOM_DIGITS; i++) digits += String(randomDigit());
  return digits + String(dammDigit(digits));
}

/** "1234 5678 …" — groups of four for reading aloud and writing down. */
export function formatToken(token: string): string {
  return token.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/**
 * Reads what a worker typed: spaces, dashes and dots are ignored, and
 * decimal digits of any script (全角 ０-９, Devanagari, Thai, Arabic-Indic, …)
 * count as their ASCII value. Says why a token is wrong without asking the
 * server, so a typo never costs a throttled attempt.
 */
export function parseToken(input: string): { ok: true; token: string } | { ok: false; reason: 'length' | 'check' | 'characters' } {
  let digits = '';
  for (const ch of input.normalize('NFKC')) {
    if (/[\s\-.·_]/u.test(ch)) continue;
    const value = decimalValue(ch);
    if (value === undefined) return { ok: false, reason: 'characters' };
    digits += String(value);
  }
  if (digits.length !== TOKEN_DIGITS) return { ok: false, reason: 'length' };
  if (dammDigit(digits) !== 0) return { ok: false, reason: 'check' };
  return { ok: true, token: digits };
}

// Zero code points of the common decimal-digit blocks (Unicode category Nd).
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xe50, 0xed0, 0xf20, 0x1040, 0x17e0, 0x1810, 0xff10];

/** A decimal digit of any of those scripts, as its value; undefined for anything else. */
export function decimalValue(ch: string): number | undefined {
  const code = ch.codePointAt(0)!;
  for (const zero of DIGIT_ZEROS) if (code >= zero && code <= zero + 9) return code - zero;
  return undefined;
}
