/** Investigator sign-in, sign-out and session. */
import {
  EnvelopeRequest, FailedLogins, LoginParams, LoginParamsRequest, LoginRequest, RecoveryCodes, Session, TotpConfirmRequest, TotpEnrolment, TotpStatus,
} from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { clearSessionCookie } from './cookie.ts';
import { storeEnvelope } from './envelope.ts';
import { login, loginParams } from './login.ts';
import { presentSession } from './presenter.ts';
import { recentFailedLogins } from './failed-logins.ts';
import { confirmTotp, enrolTotp, totpStatus } from './second-factor.ts';

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
      handler: ({ session }) => presentSession(session.csrfToken, session.investigator, session.team, ctx.repos.investigators.languageOf(session.investigator.id)),
    }),
    defineRoute({
      method: 'put', path: '/api/auth/envelope', summary: 'Store my key envelope sealed again with its trust root (v2)',
      tag: 'auth', auth: 'investigator', request: EnvelopeRequest, response: null, status: 204,
      handler: ({ session, body }) => storeEnvelope(ctx, session.investigator, body),
    }),
    defineRoute({
      method: 'get', path: '/api/auth/totp', summary: 'Whether my second factor is set up', tag: 'auth',
      auth: 'investigator', response: TotpStatus, status: 200,
      handler: ({ session }) => totpStatus(ctx, session.investigator.id),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/totp/enrol', summary: 'Start setting up an authenticator app (TOTP)', tag: 'auth',
      auth: 'investigator', response: TotpEnrolment, status: 200,
      handler: ({ session }) => enrolTotp(ctx, session),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/totp/confirm', summary: 'Confirm with a current code; answers recovery codes once', tag: 'auth',
      auth: 'investigator', request: TotpConfirmRequest, response: RecoveryCodes, status: 200,
      handler: ({ session, body }) => confirmTotp(ctx, session, body.code),
    }),
    defineRoute({
      method: 'get', path: '/api/team/failed-logins', summary: 'Recent failed sign-ins for my team’s usernames (administrators)',
      tag: 'team', auth: 'investigator', response: FailedLogins, status: 200,
      handler: ({ session }) => recentFailedLogins(ctx, session),
    }),
  ];
}
