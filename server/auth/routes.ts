/** Investigator sign-in, sign-out and session. */
import { LoginParams, LoginParamsRequest, LoginRequest, Session } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { clearSessionCookie } from './cookie.ts';
import { login, loginParams } from './login.ts';
import { presentSession } from './presenter.ts';

export function authRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/auth/params', summary: 'Salt and KDF parameters for a username', tag: 'auth',
      auth: 'public', request: LoginParamsRequest, response: LoginParams, status: 200,
      handler: ({ body }) => loginParams(ctx, body.username),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/login', summary: 'Sign in with the password-derived verifier', tag: 'auth',
      auth: 'public', request: LoginRequest, response: Session, status: 200,
      handler: ({ req, res, body }) => login(ctx, req, res, body),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/logout', summary: 'Sign out', tag: 'auth', auth: 'investigator',
      response: null, status: 204,
      handler: ({ session, res }) => {
        ctx.repos.sessions.delete(session.idHash);
        ctx.audit.investigator('auth.logout', session.investigator.id, null);
        clearSessionCookie(res, ctx.config);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/auth/session', summary: 'The current session (to unlock again after a reload)',
      tag: 'auth', auth: 'investigator', response: Session, status: 200,
      handler: ({ session }) => presentSession(session.csrfToken, session.investigator, session.team),
    }),
  ];
}
