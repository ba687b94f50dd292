/**
 * The link a worker follows to a channel's report form — the one printed as
 * a QR code on posters and cards:
 *
 *     https://ombud.example.org/r/<slug>#pins=<fp>.<fp>
 *
 * The fragment (after `#`) is never sent to the server. It carries the
 * fingerprints of the recovery keys of the teams the channel offers
 * (40 lowercase hex digits each, v4 OpenPGP, in the channel's order), so the
 * worker's browser can refuse recipient keys that are not certified by them
 * (docs/protocol.md, "Pinned keys") even when the server itself lies.
 *
 * Shared by the server (printing links), the admin pages (posters) and the
 * report form (reading the pins); no dependencies.
 */

/** A v4 OpenPGP fingerprint as the link carries it. */
export const FINGERPRINT = /^[0-9a-f]{40}$/;

/** How many pins one link may carry (LIMITS.teamsPerReport offered teams and some room). */
export const MAX_PINS = 8;

export function pinsFragment(fingerprints: readonly string[]): string {
  const pins = fingerprints.map((fp) => fp.toLowerCase());
  for (const fp of pins) {
    if (!FINGERPRINT.test(fp)) throw new Error(`not a v4 fingerprint: ${fp}`);
  }
  if (pins.length === 0 || pins.length > MAX_PINS) throw new Error(`a link pins 1 to ${MAX_PINS} keys`);
  return `#pins=${[...new Set(pins)].join('.')}`;
}

/** `${publicUrl}/r/${slug}#pins=…`; `publicUrl` without a trailing slash. */
export function channelLink(publicUrl: string, slug: string, fingerprints: readonly string[]): string {
  return `${publicUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(slug)}${pinsFragment(fingerprints)}`;
}

export type PinsReading =
  | { kind: 'pinned'; fingerprints: string[] }
  /** The link has no fragment at all: typed by hand, or an old poster. */
  | { kind: 'missing' }
  /** A fragment that is not a list of fingerprints: damaged or tampered with. */
  | { kind: 'malformed' };

/** Reads `location.hash` (with or without the leading `#`). */
export function readPins(hash: string): PinsReading {
  const fragment = hash.replace(/^#/, '');
  if (fragment === '') return { kind: 'missing' };
  const match = /^pins=([0-9A-Fa-f.]+)$/.exec(fragment);
  if (!match) return { kind: 'malformed' };
  const fingerprints = match[1]!.split('.').map((fp) => fp.toLowerCase());
  if (fingerprints.length > MAX_PINS || !fingerprints.every((fp) => FINGERPRINT.test(fp))) return { kind: 'malformed' };
  return { kind: 'pinned', fingerprints: [...new Set(fingerprints)] };
}
