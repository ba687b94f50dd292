/**
 * Who may speak to the worker in place of the built clips: a page that can
 * check keys against the pins of its link (the report page) says so here,
 * with a function giving the recovery keys the pins vouch for
 * (client/lib/pins.ts, verifyChannel). A page that registers nothing plays
 * built clips only: a recording is the server's word until a key the server
 * cannot forge vouches for it (docs/listening.md, "A deployment's own
 * recordings"). Kept apart from the player so that registering loads nothing.
 */
let source: (() => Promise<readonly string[]>) | undefined;

/** `pinnedRecoveryKeys` resolves with the armored recovery keys of the teams the link pins (and rejects on any pin problem). */
export function trustRecordingsFrom(pinnedRecoveryKeys: () => Promise<readonly string[]>): void {
  source = pinnedRecoveryKeys;
}

export function recordingTrust(): (() => Promise<readonly string[]>) | undefined {
  return source;
}
