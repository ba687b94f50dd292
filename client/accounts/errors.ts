/** One readable sentence for any failure on the team and setup pages. */
import { LIMITS } from '../../common/limits.ts';
import { t } from '../i18n/team.ts';
import { ApiError, waitMinutes } from '../lib/api.ts';

export function problem(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t('problem.network');
    // Not a rate limit to wait out by the minute: the investigator's own unsent recordings (server/cases/voice-reply.ts).
    if (error.code === 'voice_quota_exceeded') return t('problem.voiceQuota', { count: LIMITS.voiceRepliesStaged });
    if (error.status === 429) return t('problem.tooMany', { minutes: waitMinutes(error) });
    if (error.status === 403) return t('problem.forbidden');
    // Investigators may read the server's own words: its messages are written to be safe to show.
    if (error.status >= 400 && error.status < 500) return t('problem.refused', { message: error.message, code: error.code });
    return t('problem.generic', { code: error.code });
  }
  // ./share.ts refused the key the server named for a member: say so, it is not a glitch to retry past.
  if (error instanceof Error && error.name === 'ShareKeyError') return t('problem.wrongMemberKey');
  return t('problem.generic', { code: error instanceof Error ? error.name : 'unknown' });
}
