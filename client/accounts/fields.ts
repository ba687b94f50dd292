/** Pure helpers for the setup form: link names (slugs) and a plain password strength. */
export const MIN_PASSWORD = 12;
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
export const USERNAME_PATTERN = /^[a-z0-9._-]+$/;

/** "Fábrica Nº 3, Dongguan" → "fabrica-no-3-dongguan"; '' when nothing Latin is left (e.g. Chinese names). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

export type Strength = 'empty' | 'short' | 'weak' | 'fair' | 'strong';

const COMMON = /password|passwort|123456|qwerty|abc123|111111|letmein|welcome|admin|ombud|iloveyou/i;

/**
 * A rough estimate, said plainly: length times the size of the alphabet in
 * use, less for repeats and well-known patterns, or for containing the
 * username or team name. It is a hint for people, not a security boundary.
 */
export function passwordStrength(password: string, avoid: readonly string[] = []): Strength {
  if (!password) return 'empty';
  const chars = [...password];
  if (chars.length < MIN_PASSWORD) return 'short';
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^A-Za-z0-9]/.test(password)) pool += 33;
  const distinct = new Set(chars).size;
  let bits = Math.min(chars.length, distinct * 2) * Math.log2(Math.max(pool, 2));
  const lower = password.toLowerCase();
  if (COMMON.test(password) || avoid.some((word) => word.length >= 3 && lower.includes(word.toLowerCase()))) bits -= 30;
  if (bits < 50) return 'weak';
  return bits < 75 ? 'fair' : 'strong';
}
