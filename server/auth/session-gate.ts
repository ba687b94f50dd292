/**
 * The one place that decides whether a request comes from a signed-in
 * investigator: cookie → session → idle/absolute expiry → CSRF header (on
 * anything but GET) → the investigator and their team. Routes declared with
 * `auth: 'investigator'` get the result; none of them checks again.
 */
import type { Request, Response } from 'express';
import type { InvestigatorRecord, Team } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { safeEqual, sha256Hex } from '../security/secrets.ts';
import { clearSessionCookie, readSessionCookie } from './cookie.ts';

export const CSRF_HEADER = 'x-ombud-csrf';
/** However active, a session ends after this long. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;

export interface ActiveSession {
  idHash: string;
  csrfToken: string;
  investigator: InvestigatorRecord;
  team: Team;
}

export type SessionGate = (req: Request, res: Response) => ActiveSession;

export function createSessionGate(ctx: Pick<AppContext, 'repos' | 'clock' | 'config'>): SessionGate {
  const idleMs = ctx.config.sessionIdleMinutes * 60_000;
  return (req, res) => {
    const cookie = readSessionCookie(req);
    if (!cookie) throw new HttpError(401, 'not_authenticated', 'sign in first');
    const idHash = sha256Hex(cookie);
    const session = ctx.repos.sessions.find(idHash);
    if (!session) throw new HttpError(401, 'not_authenticated', 'sign in first');
    const now = ctx.clock.now();
    if (now - session.lastSeenAt > idleMs || now >= session.expiresAt) {
      ctx.repos.sessions.delete(idHash);
      clearSessionCookie(res, ctx.config);
      throw new HttpError(401, 'session_expired', 'the session has ended; sign in again');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new HttpError(403, 'csrf_invalid', 'missing or wrong X-Ombud-CSRF header');
      }
    }
    const investigator = ctx.repos.investigators.find(session.investigatorId);
    const team = investigator && ctx.repos.teams.find(investigator.teamId);
    if (!investigator || investigator.disabled || !team) {
      ctx.repos.sessions.delete(idHash);
      clearSessionCookie(res, ctx.config);
      throw new HttpError(401, 'not_authenticated', 'sign in first');
    }
    ctx.repos.sessions.touch(idHash, now);
    return { idHash, csrfToken: session.csrfToken, investigator, team };
  };
}
