import { describe, expect, it } from 'vitest';
import { channelLink, pinsFragment, readPins } from './channel-link.ts';

const A = 'a'.repeat(40);
const B = '0123456789abcdef0123456789abcdef01234567';

describe('channel links', () => {
  it('puts the pinned fingerprints in the fragment, never in the path', () => {
    const link = channelLink('https://ombud.example.org/', 'factory-one', [A, B.toUpperCase()]);
    expect(link).toBe(`https://ombud.example.org/r/factory-one#pins=${A}.${B}`);
    expect(new URL(link).pathname).toBe('/r/factory-one');
  });

  it('reads back what it wrote', () => {
    expect(readPins(pinsFragment([A, B]))).toEqual({ kind: 'pinned', fingerprints: [A, B] });
    expect(readPins(`pins=${B}`)).toEqual({ kind: 'pinned', fingerprints: [B] });
  });

  it('tells a missing fragment from a damaged one', () => {
    expect(readPins('')).toEqual({ kind: 'missing' });
    expect(readPins('#')).toEqual({ kind: 'missing' });
    for (const bad of ['#pins=', `#pins=${A.slice(1)}`, `#pins=${A}.`, `#pins=${A}..${B}`, `#keys=${A}`, `#pins=${A}&x=1`, `#pins=${'g'.repeat(40)}`]) {
      expect(readPins(bad)).toEqual({ kind: 'malformed' });
    }
    expect(readPins(`#pins=${Array.from({ length: 9 }, (_, i) => String(i).repeat(40)).join('.')}`)).toEqual({ kind: 'malformed' });
  });

  it('refuses to print a link without a valid pin', () => {
    expect(() => pinsFragment([])).toThrow();
    expect(() => pinsFragment(['abc'])).toThrow();
  });
});
