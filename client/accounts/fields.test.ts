import { describe, expect, it } from 'vitest';
import { SLUG_PATTERN, passwordStrength, slugify } from './fields.ts';

describe('slugify', () => {
  it('turns a channel name into a link name the server accepts', () => {
    expect(slugify('Fábrica Nº 3, Dongguan')).toBe('fabrica-no-3-dongguan');
    expect(slugify('  Factory A  ')).toBe('factory-a');
    expect(SLUG_PATTERN.test(slugify('Ünïcödé — Plant #7 (north)'))).toBe(true);
  });

  it('leaves nothing when no Latin letter or digit is left, so the admin types one', () => {
    expect(slugify('东莞一厂')).toBe('');
  });

  it('never exceeds 48 characters nor ends with a dash', () => {
    const slug = slugify(`${'a'.repeat(47)} b`);
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(SLUG_PATTERN.test(slug)).toBe(true);
  });
});

describe('passwordStrength', () => {
  it('calls anything under 12 characters too short', () => {
    expect(passwordStrength('')).toBe('empty');
    expect(passwordStrength('Ab1!Ab1!Ab1')).toBe('short');
  });

  it('calls long but guessable passwords weak', () => {
    expect(passwordStrength('aaaaaaaaaaaaaaaa')).toBe('weak');
    expect(passwordStrength('password12345')).toBe('weak');
    expect(passwordStrength('alicealice2024', ['alice'])).toBe('weak');
  });

  it('calls a few unrelated words strong', () => {
    expect(passwordStrength('tulip-orbit-canyon-47')).toBe('strong');
  });
});
