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
  /** Set when an investigator entered the report on the worker's behalf (EU Directive Art. 18). */
  receivedVia?: 'paper' | 'in_person' | 'phone';
  /**
   * Attached files: `id` is the server's attachment id (the upload id), the
   * rest is known only inside this encrypted document. `size` is the size of
   * the file as encrypted (after its metadata was removed), in bytes.
   */
  attachments?: AttachmentMeta[];
  /**
   * The recovery key fingerprints the form checked the chosen teams' keys
   * against (docs/protocol.md, "Pinned keys"): the status page later
   * encrypts follow-ups only to keys these vouch for.
   */
  pins?: string[];
}

export interface AttachmentMeta {
  id: string;
  name: string;
  /** Media type detected from the file's bytes (e.g. image/jpeg, audio/webm). */
  type: string;
  size: number;
  /** 'voice' for a voice message recorded in the form. */
  kind?: 'file' | 'voice';
}

/**
 * What a thread message is, known only inside the ciphertext (the server
 * sees that a reporter reported retaliation or answered the satisfaction
 * question only because those go to their own endpoints; see
 * docs/threat-model.md). A message without `kind` (written before kinds
 * existed) is a plain 'message'.
 */
export const MESSAGE_KINDS = ['message', 'retaliation', 'meeting_request', 'transcript', 'transcript_response', 'satisfaction'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Answers to the one question after closure, worst to best. */
export const SATISFACTION_LEVELS = [1, 2, 3, 4, 5] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];

interface MessageBase {
  v: typeof REPORT_VERSION;
  /** The words of the message; for a retaliation report, what happened; for satisfaction, the optional comment. */
  text: string;
  /**
   * Files and a voice message sent with a reporter's plain message: `id` is
   * the server's attachment id; name and type are known only in here.
   */
  attachments?: AttachmentMeta[];
}

/** A follow-up message in the thread, from either side. */
export type MessageContent =
  | (MessageBase & { kind: 'message' })
  /** The reporter is being punished for reporting: the case becomes urgent. */
  | (MessageBase & { kind: 'retaliation'; when: string })
  /** The reporter asks to meet in person (EU Directive 2019/1937 Art. 9(2)); `preferred` is an optional place/time. */
  | (MessageBase & { kind: 'meeting_request'; preferred: string })
  /** Minutes of a meeting or call, from the team, for the reporter to approve (Art. 18). */
  | (MessageBase & { kind: 'transcript' })
  /** The reporter's answer to a transcript (`transcriptMessageId` is the server's message id). */
  | (MessageBase & { kind: 'transcript_response'; transcriptMessageId: string; approves: boolean; correction?: string })
  /** The one answer after closure. */
  | (MessageBase & { kind: 'satisfaction'; level: SatisfactionLevel });
