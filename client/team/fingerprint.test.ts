import { describe, expect, it } from 'vitest';
import { groupFingerprint } from './fingerprint.ts';

describe('groupFingerprint', () => {
  it('reads a fingerprint in 10 groups of 4, as GnuPG prints it', () => {
    expect(groupFingerprint('49b947b50e131a062e1a54592e52b74b0ddbd9a9')).toBe('49B9 47B5 0E13 1A06 2E1A 5459 2E52 B74B 0DDB D9A9');
  });
});
