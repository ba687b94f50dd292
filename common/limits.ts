/**
 * Every size, length and count that crosses the HTTP boundary, in one place.
 * The server's zod schemas and the browser forms both import these numbers,
 * so a form never lets a worker type more than the server will accept.
 */
export const LIMITS = {
  /** Largest encrypted report body (binary OpenPGP, before base64). */
  reportCiphertextBytes: 512 * 1024,
  /** Largest encrypted follow-up message (binary OpenPGP, before base64). */
  messageCiphertextBytes: 256 * 1024,
  /** Largest JSON request body the server parses at all. */
  jsonBodyBytes: 1024 * 1024,
  /** Per report field, in characters, as typed by the worker. */
  reportFieldChars: 10_000,
  /** A follow-up message, in characters. */
  messageChars: 10_000,
  /** Armored public key. */
  publicKeyChars: 16_384,
  /** Wrapped (AES-GCM) private key, bytes before base64. */
  wrappedKeyBytes: 8_192,
  usernameChars: 64,
  displayNameChars: 100,
  teamNameChars: 100,
  channelNameChars: 100,
  /** An armored detached signature over a team's name in one language (crypto/team-name.ts): about 300 characters. */
  teamNameSignatureChars: 2_048,
  stageReasonChars: 2_000,
  /** Recipients of one message: investigators of a team + recovery + reporter. */
  recipientsPerMessage: 64,
  teamsPerReport: 4,
  /** Longest voice message, in seconds (16 kHz 16-bit mono WAV: 32 000 bytes a second, 5.8 MB at 3 min). */
  voiceSeconds: 180,
  /** Files a worker may attach to one report (photos, documents, videos, voice). */
  attachmentsPerReport: 5,
  /** One attached file, as chosen (before encryption). */
  attachmentBytes: 25 * 1024 * 1024,
  /** All attached files of one report together, as chosen. */
  attachmentsTotalBytes: 50 * 1024 * 1024,
  /**
   * One encrypted upload: a 25 MiB file padded (Padmé: 25.5 MiB) plus room for
   * 64 recipients' PKESK packets and packet headers. Pinned by a test
   * (server/uploads/limits.test.ts) against crypto's bucketSize.
   */
  uploadCiphertextBytes: 26 * 1024 * 1024,
  /** All encrypted uploads of one report: 50 MiB padded (≤ 12 %) + headers. */
  uploadsTotalCiphertextBytes: 57 * 1024 * 1024,
  /**
   * Bytes a browser sends in one PATCH of a resumable upload: a try the server
   * refuses (it was still reading a cut one) wastes at most this much of a
   * worker's data plan.
   */
  uploadPatchBytes: 1024 * 1024,
  /** An upload ticket allows this many uploads (a retry or a removed file costs one)… */
  uploadsPerTicket: 12,
  /** …and this many encrypted bytes in all. */
  uploadTicketBytes: 2 * 57 * 1024 * 1024,
  /** A file name or media type inside the encrypted report. */
  attachmentNameChars: 255,
  /**
   * Voice replies an investigator may hold recorded but not yet sent (staged, deleted after an hour or
   * two), and their bytes together: one investigator cannot fill the disk with staged recordings.
   * Three minutes of voice encrypt to about 6 MB, so 4 of them fit.
   */
  voiceRepliesStaged: 4,
  voiceRepliesStagedBytes: 32 * 1024 * 1024,
  /** Key packets sent in one request when giving a member access to earlier cases (server/people/). */
  shareBatch: 100,
  /** Ciphertexts listed in one page for that (each with its key packets only). */
  sharePage: 100,
} as const;

/** Stages of a case, in order (EU Directive 2019/1937, ISO 37002). */
export const STAGES = ['received', 'acknowledged', 'assessing', 'investigating', 'concluded', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

/** Retaliation risk of a case (ISO 37002 8.3.2); the level is in the clear, the rationale encrypted. */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** How a closed case ended, in the clear as workflow data; required to close. */
export const OUTCOMES = ['substantiated', 'partly_substantiated', 'not_substantiated', 'withdrawn', 'referred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Labels the team keeps in the clear on a case (never report details). */
export const CASE_LABELS = { perCase: 8, chars: 32 } as const;

/** Bounds of a team's deadlines: acknowledge within 1–7 days, feedback within 1–3 months (Directive 2019/1937 art. 9). */
export const DEADLINE_BOUNDS = { ackDays: { min: 1, max: 7 }, feedbackMonths: { min: 1, max: 3 } } as const;

/**
 * The languages a worker can read the pages in (client/i18n/index.ts
 * WORKER_CATALOGS has one catalog for each, in this order; a test checks).
 * A channel lists the ones its workers read, its default first.
 */
export const WORKER_LANGUAGES = ['en', 'zh-CN', 'vi', 'id', 'hi', 'es', 'th', 'ms', 'bn', 'km', 'my', 'ne', 'ur', 'ta', 'te', 'tl', 'pt-BR', 'tr'] as const;

/** The worker languages written right to left: their pages carry dir="rtl". */
export const RTL_LANGUAGES: readonly string[] = ['ur'];
export type WorkerLanguageCode = (typeof WORKER_LANGUAGES)[number];

/**
 * What a team is to the workers of one channel; the report form says it in
 * the worker's language ("your factory's own grievance committee", …), so
 * that a worker who does not trust their employer knows whom to untick.
 */
export const CHANNEL_TEAM_ROLES = ['workplace', 'brand', 'independent'] as const;
export type ChannelTeamRole = (typeof CHANNEL_TEAM_ROLES)[number];

/** An intake channel as a deployment administrator sets it up (server/channels/). Public text, in the clear. */
export const CHANNEL_LIMITS = {
  /** Teams one channel offers: a worker may choose all of them (LIMITS.teamsPerReport). */
  teams: 4,
  /** A short note beside a team on the form, in the channel's language. */
  teamNoteChars: 140,
  /** "Who runs this channel", on its information page. */
  runByChars: 500,
  /** Other places to report (the labour inspectorate, an NGO hotline, …). */
  contacts: 6,
  contactNameChars: 100,
  /** A phone number, an address or a web address. */
  contactReachChars: 200,
  contactNoteChars: 300,
  /** Any other local information, free text. */
  notesChars: 2_000,
} as const;

/**
 * How long a team keeps its closed cases, in days after closing (migration 011
 * repeats the bounds in a CHECK). Default two years; at least 30 days, so a
 * slip of the finger cannot purge a case closed yesterday; at most ten years.
 * A legal-hold reason is short clear text (never report details).
 */
export const RETENTION_DAYS = { default: 730, min: 30, max: 3650 } as const;
export const LEGAL_HOLD_REASON_CHARS = 500;

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
