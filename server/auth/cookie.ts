/**
 * The session cookie: `ombud_session`, 32 random bytes, HttpOnly,
 * SameSite=Strict, Path=/, Secure when configured. The database holds only
 * its sha256.
 */
import type { Request, Response } from 'express';
import type { AppConfig } from '../config.ts';

export const SESSION_COOKIE = 'ombud_session';

/** Reads our cookie from the Cookie header (no cookie-parser dependency). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function options(config: Pick<AppConfig, 'secureCookies'>) {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: config.secureCookies } as const;
}

export function setSessionCookie(res: Response, value: string, config: Pick<AppConfig, 'secureCookies'>): void {
  res.cookie(SESSION_COOKIE, value, options(config));
}

export function clearSessionCookie(res: Response, config: Pick<AppConfig, 'secureCookies'>): void {
  res.clearCookie(SESSION_COOKIE, options(config));
}
