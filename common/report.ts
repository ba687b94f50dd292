/**
 * What a worker's browser puts inside the encrypted report, and what an
 * investigator's browser expects to find after decrypting it. The server never
 * sees these shapes: it stores them only as OpenPGP ciphertext.
 */
export const REPORT_VERSION = 1;

export interface ReportContent {
  v: typeof REPORT_VERSION;
  /** Language the worker used the form in (BCP 47). */
  lang: string;
  /** A category key from the catalog (client/categories.ts). */
  category: string;
  what: string;
  when: string;
  where: string;
  /** 'yes' | 'no' | 'unknown' */
  ongoing: 'yes' | 'no' | 'unknown';
  involved: string;
  wish: string;
  /** Optional way to be contacted; empty for fully anonymous. */
  contact: string;
}

/** A follow-up message in the thread, from either side. */
export interface MessageContent {
  v: typeof REPORT_VERSION;
  text: string;
}
