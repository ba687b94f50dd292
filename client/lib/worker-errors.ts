/** Turns any failure on a worker page into one plain sentence in the worker's language. */
import { t, tn } from '../i18n/index.ts';
import { ApiError, waitMinutes } from './api.ts';

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t('error.network');
    if (error.status === 429) return tn('error.tooMany', waitMinutes(error));
    if (error.code === 'channel_not_found') return t('error.channel');
    if (error.status === 503) return t('error.busy');
    return t('error.generic');
  }
  // The keys offered for a follow-up are not vouched for by the pins inside the report (client/lib/pins.ts).
  if (error instanceof Error && error.name === 'PinError') return t('pins.statusKeys');
  // A lazily loaded script that did not arrive is a network problem too.
  if (error instanceof TypeError && /fetch|import|module/i.test(error.message)) return t('error.network');
  return t('error.generic');
}
