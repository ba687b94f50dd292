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

let unlocked: { session: Session; key: UnlockedKey; trust: crypto.TrustRoot | null; stopIdle: () => void } | undefined;
const lockListeners: Array<(reason: LockReason) => void> = [];

/**
 * Opens the session's key envelope with the password-derived wrap key (throws
 * WrongKeyError): the private key, and the trust root sealed with it
 * (docs/protocol.md "v2: workspace trust root"); null for an envelope made
 * before v2, until its holder confirms one (client/team/trust-setup.ts).
 */
export async function unlock(session: Session, wrapKey: Uint8Array): Promise<{ version: 1 | 2 }> {
  lock('logout');
  const opened = await crypto.openEnvelope({ wrapped: session.wrappedPrivateKey, wrapKey });
  unlocked = { session, key: opened.key, trust: opened.trust, stopIdle: watchIdle(IDLE_MINUTES * 60_000, () => lock('idle')) };
  return { version: opened.version };
}

/** The trust root from the envelope (never from a server field); null before it is confirmed, or signed out. */
export function trustRoot(): crypto.TrustRoot | null {
  return unlocked?.trust ?? null;
}

/** After the envelope was sealed again with `trust` and stored (client/team/trust-setup.ts). */
export function setTrustRoot(trust: crypto.TrustRoot, wrappedPrivateKey: string): void {
  if (!unlocked) throw new Error('signed out');
  unlocked.trust = trust;
  unlocked.session = { ...unlocked.session, wrappedPrivateKey };
}

/** After the investigator's language choice was stored with their account (client/accounts/language.ts). */
export function setSessionLanguage(language: Session['investigator']['language']): void {
  if (!unlocked) return;
  unlocked.session = { ...unlocked.session, investigator: { ...unlocked.session.investigator, language } };
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
