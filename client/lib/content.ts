/**
 * Checks the shape of what came out of decryptJson. The ciphertext was made
 * by some browser we do not control, so a decrypted value is untrusted input:
 * anything unexpected becomes `undefined` and is shown as "could not be opened".
 */
import { REPORT_VERSION, SATISFACTION_LEVELS, type MessageContent, type ReportContent, type SatisfactionLevel } from '../../common/report.ts';
import { attachmentMetas } from '../media/attachment-view.ts';

const TEXT_FIELDS = ['lang', 'category', 'what', 'when', 'where', 'involved', 'wish', 'contact'] as const;
const ONGOING: readonly string[] = ['yes', 'no', 'unknown'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asReport(value: unknown): ReportContent | undefined {
  if (!isRecord(value) || value.v !== REPORT_VERSION) return undefined;
  if (!TEXT_FIELDS.every((field) => typeof value[field] === 'string')) return undefined;
  if (typeof value.ongoing !== 'string' || !ONGOING.includes(value.ongoing)) return undefined;
  return value as unknown as ReportContent;
}

const str = (value: unknown): value is string => typeof value === 'string';

/** Checks a decrypted message; one without `kind` is a plain message (written before kinds existed). */
export function asMessage(value: unknown): MessageContent | undefined {
  if (!isRecord(value) || value.v !== REPORT_VERSION || !str(value.text)) return undefined;
  const base = { v: REPORT_VERSION, text: value.text } as const;
  switch (value.kind ?? 'message') {
    case 'message': {
      // Files sent with the message: well-formed entries only (names are untrusted text).
      const attachments = attachmentMetas(value);
      return { ...base, kind: 'message', ...(attachments.length > 0 ? { attachments } : {}) };
    }
    case 'transcript':
      return { ...base, kind: 'transcript' };
    case 'retaliation':
      return str(value.when) ? { ...base, kind: 'retaliation', when: value.when } : undefined;
    case 'meeting_request':
      return str(value.preferred) ? { ...base, kind: 'meeting_request', preferred: value.preferred } : undefined;
    case 'transcript_response':
      if (!str(value.transcriptMessageId) || typeof value.approves !== 'boolean') return undefined;
      if (value.correction !== undefined && !str(value.correction)) return undefined;
      return {
        ...base, kind: 'transcript_response', transcriptMessageId: value.transcriptMessageId, approves: value.approves,
        ...(str(value.correction) ? { correction: value.correction } : {}),
      };
    case 'satisfaction':
      return (SATISFACTION_LEVELS as readonly unknown[]).includes(value.level)
        ? { ...base, kind: 'satisfaction', level: value.level as SatisfactionLevel }
        : undefined;
    default:
      return undefined;
  }
}

export function newMessage(text: string): MessageContent {
  return { v: REPORT_VERSION, kind: 'message', text };
}
