/**
 * What every route module receives: built once per app by `createApp`.
 */
import type { Repositories } from '../db/index.ts';
import type { AppConfig } from './config.ts';
import type { Clock } from './clock.ts';
import type { ServerKeys } from './security/secrets.ts';
import type { Throttles } from './security/throttle.ts';
import type { AuditTrail } from './audit/trail.ts';

/** Outgoing e-mail (deadline reminders). Accepted by createApp but not used yet. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export interface AppContext {
  repos: Repositories;
  config: Readonly<AppConfig>;
  clock: Clock;
  keys: ServerKeys;
  throttles: Throttles;
  audit: AuditTrail;
  mailer: Mailer | undefined;
}
