/**
 * The HTTP contract between the browser and the server: one zod schema per
 * request and answer body. The server validates with them and builds its
 * OpenAPI document from them; the client imports only their types
 * (`import type`), so zod never ships to a worker's phone.
 *
 * Binary values travel as unpadded base64url strings.
 */
import { z } from 'zod';
import { LIMITS, STAGES } from './limits.ts';

/** Unpadded base64url of at most `maxBytes` bytes. */
export const b64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3))
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding');

/** Exactly 32 bytes, base64url: lookup ids and verifiers. */
export const secret32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes of base64url');
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const stage = z.enum(STAGES);
export const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'lowercase letters, digits and dashes');
export const id = z.string().regex(/^[A-Za-z0-9_-]{16,32}$/);
export const armoredPublicKey = z
  .string()
  .max(LIMITS.publicKeyChars)
  .startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----');

export const ErrorBody = z.object({ error: z.string(), message: z.string() });

// --- public: channel, proof of work, intake -------------------------------

export const ChannelTeam = z.object({
  id,
  name: z.string(),
  /** Every key a report to this team must be encrypted to: investigators and the recovery key. */
  recipientKeys: z.array(armoredPublicKey),
});
export const ChannelInfo = z.object({
  slug,
  name: z.string(),
  teams: z.array(ChannelTeam),
  acknowledgeDays: z.number().int(),
});

export const PowChallenge = z.object({ challenge: z.string(), difficulty: z.number().int() });
export const PowSolution = z.strictObject({ challenge: z.string().max(200), nonce: z.string().max(32) });

export const IntakeRequest = z.strictObject({
  channel: slug,
  teamIds: z.array(id).min(1).max(LIMITS.teamsPerReport),
  pow: PowSolution,
  lookupId: secret32,
  verifier: secret32,
  reporterPublicKey: armoredPublicKey,
  wrappedReporterKey: b64(LIMITS.wrappedKeyBytes).min(1),
  report: b64(LIMITS.reportCiphertextBytes).min(1),
  /** Staged uploads (POST /api/uploads) that belong to this report; needs `uploadTicket`. */
  attachments: z.array(id).max(LIMITS.attachmentsPerReport).optional(),
  uploadTicket: z.string().max(200).optional(),
});
export const IntakeReceipt = z.object({ receivedDay: day, acknowledgeByDay: day });

// --- public: encrypted attachments (docs/protocol.md, “Attachments”) -------------------

export const UploadTicketRequest = z.strictObject({ pow: PowSolution });
export const UploadTicket = z.object({
  /** Sent back in the X-Ombud-Upload-Ticket header of each upload, and in the intake. */
  ticket: z.string(),
  expiresInSeconds: z.number().int(),
  maxUploads: z.number().int(),
  maxBytes: z.number().int(),
});
export const UploadCreated = z.object({ uploadId: id });
/** An attachment as listed to investigators and to the reporter: the name and type are inside the report. */
export const AttachmentRef = z.object({ id, size: z.number().int() });
export const AttachmentParams = z.object({ attachmentId: id });

// --- reporter follow-up (token-derived credentials only) ------------------

export const ReporterCredentials = z.strictObject({ lookupId: secret32, verifier: secret32 });
export const ThreadMessage = z.object({
  id,
  from: z.enum(['reporter', 'team']),
  day,
  body: z.string(),
});
export const StatusView = z.object({
  stage,
  receivedDay: day,
  acknowledgedDay: day.nullable(),
  acknowledgeByDay: day,
  feedbackByDay: day,
  closedDay: day.nullable(),
  reporterPublicKey: z.string(),
  wrappedReporterKey: z.string(),
  /** Keys a reply from the reporter must be encrypted to (besides the reporter's own). */
  teamKeys: z.array(z.string()),
  report: z.string(),
  messages: z.array(ThreadMessage),
  attachments: z.array(AttachmentRef),
  /** The one question after closure was answered; it is not asked again. */
  satisfactionGiven: z.boolean(),
});
export const ReporterMessageRequest = z.strictObject({
  lookupId: secret32,
  verifier: secret32,
  body: b64(LIMITS.messageCiphertextBytes).min(1),
});
export const MessageCreated = z.object({ id, day });

// --- investigators ---------------------------------------------------------

export const username = z.string().min(1).max(LIMITS.usernameChars).regex(/^[a-z0-9._-]+$/, 'lowercase letters, digits, dot, dash, underscore');
export const KdfParams = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int(),
  iterations: z.number().int(),
  parallelism: z.number().int(),
});
export const LoginParamsRequest = z.strictObject({ username });
export const LoginParams = z.object({ salt: z.string(), kdf: KdfParams });
export const LoginRequest = z.strictObject({ username, verifier: secret32 });
export const Investigator = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'investigator']),
  teamId: id,
  teamName: z.string(),
});
export const Session = z.object({
  csrfToken: z.string(),
  investigator: Investigator,
  publicKey: z.string(),
  wrappedPrivateKey: z.string(),
});

export const CaseSummary = z.object({
  id,
  teamId: id,
  channel: z.object({ slug, name: z.string() }),
  stage,
  receivedDay: day,
  acknowledgedDay: day.nullable(),
  acknowledgeByDay: day,
  feedbackByDay: day,
  closedDay: day.nullable(),
  lastActivityDay: day,
  /** Messages from the reporter since the team last wrote. */
  awaitingReply: z.boolean(),
  /** The reporter reported retaliation on this case (the content stays encrypted). */
  urgent: z.boolean(),
  /** The first day they did; null if never. */
  urgentDay: day.nullable(),
});
export const CaseList = z.object({ cases: z.array(CaseSummary) });
export const CaseDetail = z.object({
  case: CaseSummary,
  reporterPublicKey: z.string(),
  report: z.string(),
  messages: z.array(ThreadMessage),
  /** Keys a team reply must be encrypted to, besides the reporter's. */
  teamKeys: z.array(z.string()),
  history: z.array(z.object({ stage, day, reason: z.string().nullable(), by: z.string() })),
  attachments: z.array(AttachmentRef),
});
export const StageChangeRequest = z.strictObject({
  stage,
  reason: z.string().max(LIMITS.stageReasonChars).optional(),
});
export const TeamMessageRequest = z.strictObject({ body: b64(LIMITS.messageCiphertextBytes).min(1) });

// --- first administrator ---------------------------------------------------

export const SetupState = z.object({ needed: z.boolean(), kdf: KdfParams });
export const SetupRequest = z.strictObject({
  setupToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  team: z.strictObject({
    name: z.string().trim().min(1).max(LIMITS.teamNameChars),
    recoveryPublicKey: armoredPublicKey,
  }),
  admin: z.strictObject({
    username,
    displayName: z.string().trim().min(1).max(LIMITS.displayNameChars),
    salt: secret32,
    verifier: secret32,
    publicKey: armoredPublicKey,
    wrappedPrivateKey: b64(LIMITS.wrappedKeyBytes).min(1),
  }),
  channel: z.strictObject({ name: z.string().trim().min(1).max(LIMITS.channelNameChars), slug }),
});
export const SetupDone = z.object({ teamId: id, channelSlug: slug, reportPath: z.string() });

export type ChannelInfo = z.infer<typeof ChannelInfo>;
export type PowChallenge = z.infer<typeof PowChallenge>;
export type IntakeRequest = z.infer<typeof IntakeRequest>;
export type IntakeReceipt = z.infer<typeof IntakeReceipt>;
export type ReporterCredentials = z.infer<typeof ReporterCredentials>;
export type StatusView = z.infer<typeof StatusView>;
export type ThreadMessage = z.infer<typeof ThreadMessage>;
export type ReporterMessageRequest = z.infer<typeof ReporterMessageRequest>;
export type MessageCreated = z.infer<typeof MessageCreated>;
export type LoginParams = z.infer<typeof LoginParams>;
export type KdfParams = z.infer<typeof KdfParams>;
export type Session = z.infer<typeof Session>;
export type Investigator = z.infer<typeof Investigator>;
export type CaseSummary = z.infer<typeof CaseSummary>;
export type CaseList = z.infer<typeof CaseList>;
export type CaseDetail = z.infer<typeof CaseDetail>;
export type StageChangeRequest = z.infer<typeof StageChangeRequest>;
export type SetupState = z.infer<typeof SetupState>;
export type SetupRequest = z.infer<typeof SetupRequest>;
export type SetupDone = z.infer<typeof SetupDone>;
export type ErrorBody = z.infer<typeof ErrorBody>;
export type UploadTicket = z.infer<typeof UploadTicket>;
export type UploadCreated = z.infer<typeof UploadCreated>;
export type AttachmentRef = z.infer<typeof AttachmentRef>;
