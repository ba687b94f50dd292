import { describe, expect, it } from 'vitest';
import { keyCheckGroups, posterHref, readPosterRoute } from './links.ts';

describe('poster page addresses', () => {
  it('round-trips the channel, the kind and the languages', () => {
    expect(posterHref('plant-7')).toBe('/poster#/plant-7');
    expect(posterHref('plant-7', 'cards')).toBe('/poster#/plant-7/cards');
    expect(posterHref('plant-7', 'poster', ['zh-CN', 'hi'])).toBe('/poster#/plant-7/poster/zh-CN,hi');
    for (const href of ['/poster#/plant-7', '/poster#/plant-7/cards', '/poster#/plant-7/cards/vi,en']) {
      const route = readPosterRoute(href.slice('/poster'.length))!;
      expect(posterHref(route.slug, route.kind, route.languages)).toBe(href);
    }
  });

  it('reads the channel’s own languages when none are named', () => {
    expect(readPosterRoute('#/plant-7')).toEqual({ slug: 'plant-7', kind: 'poster', languages: undefined });
  });

  it('refuses an address that names no channel or an unknown kind', () => {
    expect(readPosterRoute('')).toBeUndefined();
    expect(readPosterRoute('#/')).toBeUndefined();
    expect(readPosterRoute('#/plant-7/flyer')).toBeUndefined();
    expect(readPosterRoute('#/Plant 7')).toBeUndefined();
  });
});

describe('the key check', () => {
  it('prints the first 16 hex digits of a fingerprint in groups of four, as GnuPG does', () => {
    expect(keyCheckGroups('0123456789abcdef0123456789abcdef01234567')).toBe('0123 4567 89AB CDEF');
  });
});
