/**
 * What every route module receives: built once per app by `createApp`.
 */
import type { Repositories } from '../db/index.ts';
import type { AppConfig } from './config.ts';
import type { Clock } from './clock.ts';
import type { ServerKeys } from './security/secrets.ts';
import type { Throttles } from './security/throttle.ts';
import type { AuditTrail } from './audit/trail.ts';
import type { Mailer } from './notify/mailer.ts';
import type { Notifier } from './notify/notifier.ts';

export type { Mailer };

export interface AppContext {
  repos: Repositories;
  config: Readonly<AppConfig>;
  clock: Clock;
  keys: ServerKeys;
  throttles: Throttles;
  audit: AuditTrail;
  /** Outgoing e-mail: investigators' notices (server/notify/). undefined: no e-mail. */
  mailer: Mailer | undefined;
  /** Queues e-mail notices after a transaction commits; never throws (server/notify/notifier.ts). */
  notify: Notifier;
}
