/**
 * The one place where an investigator's unlocked private key lives. Other
 * modules never hold it: they pass a function to `withKey`. The key is wiped
 * on sign-out, after IDLE_MINUTES without activity, when the page is left,
 * and when the server says the session is over.
 */
import type { Session } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import { watchIdle } from '../lib/idle.ts';

export const IDLE_MINUTES = 15;
export type LockReason = 'logout' | 'idle' | 'expired';

let unlocked: { session: Session; key: UnlockedKey; stopIdle: () => void } | undefined;
const lockListeners: Array<(reason: LockReason) => void> = [];

/** Unwraps the session's private key with the password-derived wrap key (throws WrongKeyError). */
export async function unlock(session: Session, wrapKey: Uint8Array): Promise<void> {
  lock('logout');
  const key = await crypto.unwrapKey({ wrapped: session.wrappedPrivateKey, wrapKey, purpose: 'investigator' });
  unlocked = { session, key, stopIdle: watchIdle(IDLE_MINUTES * 60_000, () => lock('idle')) };
}

/** Wipes the key; listeners learn why (to show the sign-in form with a message). */
export function lock(reason: LockReason): void {
  if (!unlocked) return;
  unlocked.stopIdle();
  unlocked.key.wipe();
  unlocked = undefined;
  for (const listener of lockListeners) listener(reason);
}

export function onLock(listener: (reason: LockReason) => void): void {
  lockListeners.push(listener);
}

export function session(): Session | undefined {
  return unlocked?.session;
}

/** An administrator of their team, once admitted (the server refuses a pending one: 403 not_admitted). */
export function isAdmin(): boolean {
  const who = session()?.investigator;
  return who?.role === 'admin' && who.admitted;
}

/** An administrator of the team that runs the deployment (teams, channels, posters). */
export function isDeploymentAdmin(): boolean {
  return isAdmin() && session()!.investigator.runsDeployment;
}

/** Runs `use` with the unlocked key; throws if signed out. Do not keep the key beyond the call. */
export async function withKey<T>(use: (key: UnlockedKey) => Promise<T>): Promise<T> {
  if (!unlocked) throw new Error('signed out');
  return use(unlocked.key);
}

export function exportPrivateKey(): Promise<string> {
  return withKey((key) => crypto.exportArmoredPrivateKey(key));
}

window.addEventListener('pagehide', () => lock('logout'));
