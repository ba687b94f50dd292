/**
 * Checks the shape of what came out of decryptJson. The ciphertext was made
 * by some browser we do not control, so a decrypted value is untrusted input:
 * anything unexpected becomes `undefined` and is shown as "could not be opened".
 */
import { REPORT_VERSION, type MessageContent, type ReportContent } from '../../common/report.ts';

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

export function asMessage(value: unknown): MessageContent | undefined {
  if (!isRecord(value) || value.v !== REPORT_VERSION || typeof value.text !== 'string') return undefined;
  return { v: REPORT_VERSION, text: value.text };
}

export function newMessage(text: string): MessageContent {
  return { v: REPORT_VERSION, text };
}
