/**
 * A v4 fingerprint as people read it aloud or compare it with a printout:
 * 40 hex digits in 10 groups of 4, upper case (as GnuPG prints it).
 */
export function groupFingerprint(fingerprint: string): string {
  return (fingerprint.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}
