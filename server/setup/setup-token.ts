/**
 * The single-use link for the first administrator: `${publicUrl}/setup#token`.
 * The token is in the fragment (never sent in a URL to the server; the page
 * posts it in the body). Only its sha256 is stored; it expires in 24 hours.
 */
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomBase64Url, sha256Hex } from '../security/secrets.ts';

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** Issues a new link, revoking any unused one. Returns the token (show it once, store it nowhere). */
export function issueSetupToken(ctx: Pick<AppContext, 'repos' | 'clock' | 'audit'>): { token: string; expiresAt: number } {
  const token = randomBase64Url(32);
  const expiresAt = ctx.clock.now() + SETUP_TOKEN_TTL_MS;
  ctx.repos.transaction(() => {
    ctx.repos.setup.revokeUnused();
    ctx.repos.setup.create(sha256Hex(token), expiresAt);
    ctx.audit.system('setup.link_issued');
  });
  return { token, expiresAt };
}

export function setupLink(publicUrl: string, token: string): string {
  return `${publicUrl}/setup#${token}`;
}

/** Checks a token without spending it: 403 `setup_link_invalid`, 410 `setup_link_used` / `setup_link_expired`. */
export function checkSetupToken(ctx: Pick<AppContext, 'repos' | 'clock'>, token: string): string {
  const tokenHash = sha256Hex(token);
  const stored = ctx.repos.setup.find(tokenHash);
  if (!stored) throw new HttpError(403, 'setup_link_invalid', 'this setup link is not valid');
  if (stored.usedAt !== null) throw new HttpError(410, 'setup_link_used', 'this setup link was already used');
  if (stored.expiresAt <= ctx.clock.now()) {
    throw new HttpError(410, 'setup_link_expired', 'this setup link has expired; restart the server for a new one');
  }
  return tokenHash;
}
