/**
 * An investigator's own notification address, and the language they work in
 * (the workspace shows it, and notices are written in it). The schemas live here rather
 * than in common/api.ts because only this endpoint and its small form use
 * them; the form sends the same shape.
 */
import { z } from 'zod';
import { LanguageRequest, LanguageSetting } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';

export const NotificationSettingsRequest = z.object({
  /** null: no e-mail. */
  email: z.email().max(254).nullable(),
  /** Encrypt each notice to the investigator's own OpenPGP key. */
  encrypt: z.boolean(),
}).strict();

export const NotificationSettings = z.object({
  email: z.string().nullable(),
  encrypt: z.boolean(),
  /** Whether this server sends e-mail at all (OMBUD_SMTP_URL). */
  mailConfigured: z.boolean(),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export function notifyRoutes(ctx: AppContext): Route[] {
  const present = (investigatorId: string): NotificationSettings => {
    const address = ctx.repos.notifications.find(investigatorId);
    return { email: address?.email ?? null, encrypt: address?.encrypt ?? false, mailConfigured: ctx.mailer !== undefined };
  };
  return [
    defineRoute({
      method: 'get', path: '/api/account/notifications', summary: 'My e-mail notification address', tag: 'account',
      auth: 'investigator', response: NotificationSettings, status: 200,
      handler: ({ session }) => present(session.investigator.id),
    }),
    defineRoute({
      method: 'post', path: '/api/account/notifications', summary: 'Set or remove my e-mail notification address',
      tag: 'account', auth: 'investigator', request: NotificationSettingsRequest, response: NotificationSettings, status: 200,
      handler: ({ session, body }) => {
        const id = session.investigator.id;
        ctx.repos.notifications.set(id, body.email === null ? null : { email: body.email, encrypt: body.encrypt });
        return present(id);
      },
    }),
    defineRoute({
      method: 'put', path: '/api/account/language', summary: 'Choose the language of my workspace and my e-mail notices',
      tag: 'account', auth: 'investigator', request: LanguageRequest, response: LanguageSetting, status: 200,
      handler: ({ session, body }) => {
        ctx.repos.investigators.setLanguage(session.investigator.id, body.language);
        return { language: body.language };
      },
    }),
  ];
}
