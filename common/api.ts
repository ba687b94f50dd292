/**
 * The HTTP contract between the browser and the server: one zod schema per
 * request and answer body. The server validates with them and builds its
 * OpenAPI document from them; the client imports only their types
 * (`import type`), so zod never ships to a worker's phone.
 *
 * Binary values travel as unpadded base64url strings.
 */
import { z } from 'zod';
import { CASE_LABELS, CHANNEL_LIMITS, CHANNEL_TEAM_ROLES, DEADLINE_BOUNDS, LIMITS, OUTCOMES, RISK_LEVELS, STAGES, WORKER_LANGUAGES } from './limits.ts';

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
  /**
   * The team's offline recovery key: the report form refuses the team unless
   * its fingerprint is pinned in the link (docs/protocol.md, "Pinned keys").
   */
  recoveryKey: armoredPublicKey,
  /** The admitted investigators' keys, each certified by `recoveryKey`; with it, exactly `recipientKeys`. */
  investigatorKeys: z.array(armoredPublicKey),
  /** The form ticks this team for the worker (who may untick it, keeping at least one). */
  preselected: z.boolean(),
  /** What the team is to this channel's workers, said on the form in the worker's language; null: nothing said. */
  role: z.enum(CHANNEL_TEAM_ROLES).nullable(),
  /** A short note beside the team, as the administrator wrote it ('' for none). */
  note: z.string(),
});
export const ChannelInfo = z.object({
  slug,
  name: z.string(),
  teams: z.array(ChannelTeam),
  acknowledgeDays: z.number().int(),
  /** The languages this channel's workers read, the default first (common/limits.ts WORKER_LANGUAGES). */
  languages: z.array(z.enum(WORKER_LANGUAGES)),
  /** Local information for the information page, public and in the clear: who runs this channel… */
  runBy: z.string(),
  /** …other places to report (the labour inspectorate, an NGO hotline)… */
  contacts: z.array(z.object({ name: z.string(), reach: z.string(), note: z.string() })),
  /** …and anything else, free text ('' for none). */
  notes: z.string(),
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
  /** Files sent with a reporter's message (names and types are inside the message); absent when none. */
  attachments: z.array(AttachmentRef).optional(),
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
/** A reply on the status page: like any reporter message, plus staged uploads (POST /api/uploads) sent with it. */
export const ReporterReplyRequest = ReporterMessageRequest.extend({
  /** Needs `uploadTicket`; each file must be encrypted to exactly the message's recipients. */
  attachments: z.array(id).max(LIMITS.attachmentsPerReport).optional(),
  uploadTicket: z.string().max(200).optional(),
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
export const LoginRequest = z.strictObject({
  username,
  verifier: secret32,
  /** A 6-digit TOTP code or a recovery code, once the server answered 401 `second_factor_required`. */
  secondFactor: z.string().trim().min(1).max(32).optional(),
});
export const Investigator = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'investigator']),
  teamId: id,
  teamName: z.string(),
  /** An administrator of this team administers the deployment (teams, channels, posters). */
  runsDeployment: z.boolean(),
  /** false while pending: an administrator must admit them with the team's recovery key (no cases until then). */
  admitted: z.boolean(),
  /** The team's recovery key fingerprint (40 hex): what the team's browser checks channel keys against when it enters a report. */
  teamRecoveryFingerprint: z.string(),
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
  /** Bumped by every workflow change; send it back with a change (409 `conflict` if it moved on). */
  version: z.number().int(),
  assignee: z.object({ id, displayName: z.string() }).nullable(),
  /** Chosen by the team, in the clear: never report details. */
  labels: z.array(z.string()),
  riskLevel: z.enum(RISK_LEVELS).nullable(),
  /** Set when the case was closed. */
  outcome: z.enum(OUTCOMES).nullable(),
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
  /** Internal notes, team only (encrypted to `noteKeys`); never in the reporter's status view. */
  notes: z.array(z.object({ id, day, by: z.string(), body: z.string() })),
  /** Keys a note or a risk rationale must be encrypted to: the teams' investigators not excluded, and recovery keys. */
  noteKeys: z.array(z.string()),
  /** The latest retaliation-risk assessment; its rationale is encrypted like a note. */
  risk: z.object({ level: z.enum(RISK_LEVELS), day, by: z.string(), rationale: z.string() }).nullable(),
  /** Investigators excluded from this case (conflict of interest). */
  exclusions: z.array(z.object({ investigatorId: id, displayName: z.string(), day })),
});
export const StageChangeRequest = z.strictObject({
  stage,
  reason: z.string().max(LIMITS.stageReasonChars).optional(),
  /** Required when moving to `closed`. */
  outcome: z.enum(OUTCOMES).optional(),
});
export const NoteRequest = z.strictObject({ body: b64(LIMITS.messageCiphertextBytes).min(1) });
export const NoteCreated = z.object({ id, day });
export const AssignRequest = z.strictObject({ investigatorId: id.nullable(), version: z.number().int() });
export const LabelsRequest = z.strictObject({
  labels: z.array(z.string().trim().min(1).max(CASE_LABELS.chars)).max(CASE_LABELS.perCase),
  version: z.number().int(),
});
export const RiskRequest = z.strictObject({
  level: z.enum(RISK_LEVELS),
  rationale: b64(LIMITS.messageCiphertextBytes).min(1),
  version: z.number().int(),
});
export const ExclusionRequest = z.strictObject({ investigatorId: id });
export const TeamInvestigators = z.object({ investigators: z.array(z.object({ id, displayName: z.string() })) });
export const TeamDeadlines = z.strictObject({
  ackDays: z.number().int().min(DEADLINE_BOUNDS.ackDays.min).max(DEADLINE_BOUNDS.ackDays.max),
  feedbackMonths: z.number().int().min(DEADLINE_BOUNDS.feedbackMonths.min).max(DEADLINE_BOUNDS.feedbackMonths.max),
});
export const TeamMessageRequest = z.strictObject({ body: b64(LIMITS.messageCiphertextBytes).min(1) });

// --- first administrator ---------------------------------------------------

/**
 * What a browser sends to create an investigator account: the key pair made
 * there, its private half wrapped by the password, and the password's salt
 * and login verifier (docs/protocol.md §3). Setup and invites both use it.
 */
const newAccount = {
  displayName: z.string().trim().min(1).max(LIMITS.displayNameChars),
  salt: secret32,
  verifier: secret32,
  publicKey: armoredPublicKey,
  wrappedPrivateKey: b64(LIMITS.wrappedKeyBytes).min(1),
};

export const SetupState = z.object({ needed: z.boolean(), kdf: KdfParams });
export const SetupRequest = z.strictObject({
  setupToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  team: z.strictObject({
    name: z.string().trim().min(1).max(LIMITS.teamNameChars),
    recoveryPublicKey: armoredPublicKey,
  }),
  admin: z.strictObject({ username, ...newAccount }),
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
export type ReporterReplyRequest = z.infer<typeof ReporterReplyRequest>;
export type MessageCreated = z.infer<typeof MessageCreated>;
export type LoginParams = z.infer<typeof LoginParams>;
export type KdfParams = z.infer<typeof KdfParams>;
export type Session = z.infer<typeof Session>;
export type Investigator = z.infer<typeof Investigator>;
export type CaseSummary = z.infer<typeof CaseSummary>;
export type CaseList = z.infer<typeof CaseList>;
export type CaseDetail = z.infer<typeof CaseDetail>;
export type StageChangeRequest = z.infer<typeof StageChangeRequest>;
export type AssignRequest = z.infer<typeof AssignRequest>;
export type LabelsRequest = z.infer<typeof LabelsRequest>;
export type RiskRequest = z.infer<typeof RiskRequest>;
export type TeamInvestigators = z.infer<typeof TeamInvestigators>;
export type TeamDeadlines = z.infer<typeof TeamDeadlines>;
export type SetupState = z.infer<typeof SetupState>;
export type SetupRequest = z.infer<typeof SetupRequest>;
export type SetupDone = z.infer<typeof SetupDone>;
export type ErrorBody = z.infer<typeof ErrorBody>;
export type UploadTicket = z.infer<typeof UploadTicket>;
export type UploadCreated = z.infer<typeof UploadCreated>;
export type AttachmentRef = z.infer<typeof AttachmentRef>;

// ---- Audit trail and case export (issue 4, items 8–9) ----
export const AuditEventView = z.object({
  /**
   * Place in the hash chain; null for a reporter's event that waits for the daily batch (it enters the chain,
   * with the other reporter events of its day, after that day's timed events — docs/protocol.md "v2: reporter events").
   */
  seq: z.number().int().positive().nullable(),
  day,
  /** Milliseconds; null for reporter events (day only). */
  at: z.number().int().nullable(),
  actor: z.enum(['reporter', 'investigator', 'system']),
  /** Display name of the investigator, when one caused the event. */
  actorName: z.string().nullable(),
  caseId: z.string().nullable(),
  action: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export const AuditPage = z.object({
  events: z.array(AuditEventView),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.number().int().nullable(),
});
export const AuditPageQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const AuditChainCheck = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  /** The first row (seq) that does not fit the chain. */
  brokenAt: z.number().int().positive().optional(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;
export type AuditPage = z.infer<typeof AuditPage>;
export type AuditChainCheck = z.infer<typeof AuditChainCheck>;

// ---- Investigator accounts: invites and the second factor (issue 4, item 1) ----
export const inviteToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const InviteRequest = z.strictObject({
  displayName: z.string().trim().min(1).max(LIMITS.displayNameChars),
  role: z.enum(['admin', 'investigator']),
});
export const PendingInvite = z.object({
  id,
  displayName: z.string(),
  role: z.enum(['admin', 'investigator']),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
/** The link is shown once: the token is stored nowhere (only its sha256). */
export const InviteCreated = PendingInvite.extend({ link: z.string() });
export const InviteList = z.object({ invites: z.array(PendingInvite) });
export const InviteParams = z.object({ inviteId: id });
export const InviteTokenRequest = z.strictObject({ token: inviteToken });
export const InviteInfo = z.object({
  displayName: z.string(),
  role: z.enum(['admin', 'investigator']),
  teamName: z.string(),
  expiresAt: z.number().int(),
  kdf: KdfParams,
});
export const InviteAcceptRequest = z.strictObject({
  token: inviteToken,
  username,
  ...newAccount,
});
export const InviteAccepted = z.object({ username: z.string(), teamName: z.string() });

export const TotpStatus = z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int().nonnegative() });
export const TotpEnrolment = z.object({
  /** RFC 4648 base32 of the 20-byte secret, for typing into an authenticator app. */
  secret: z.string(),
  /** otpauth://totp/Ombud:<username>?secret=…&issuer=Ombud, for the QR code. */
  uri: z.string(),
});
export const TotpConfirmRequest = z.strictObject({ code: z.string().regex(/^\d{6}$/) });
/** Shown once; only their keyed hashes are stored. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export const FailedLogins = z.object({
  failures: z.array(z.object({ username: z.string(), day, at: z.number().int().nullable() })),
});
export type InviteRequest = z.infer<typeof InviteRequest>;
export type PendingInvite = z.infer<typeof PendingInvite>;
export type InviteCreated = z.infer<typeof InviteCreated>;
export type InviteInfo = z.infer<typeof InviteInfo>;
export type InviteAcceptRequest = z.infer<typeof InviteAcceptRequest>;
export type InviteAccepted = z.infer<typeof InviteAccepted>;
export type InviteList = z.infer<typeof InviteList>;
export type TotpStatus = z.infer<typeof TotpStatus>;
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;
export type FailedLogins = z.infer<typeof FailedLogins>;

/* The inbox index (docs/protocol.md, "Inbox index"). */
/** A sealed team index key: an OpenPGP message of a 32-byte key, well under this. */
const INDEX_KEY_SEALED_BYTES = 64 * 1024;
/** An index entry: AES-GCM IV ‖ 1024 padded bytes ‖ tag (crypto INDEX_ENTRY_BYTES). */
export const INDEX_ENTRY_SIZE = 12 + 1024 + 16;
export const IndexKeyState = z.object({
  /** null: the team has no index key yet; make one. */
  key: z.object({ version: z.number().int().positive(), sealed: z.string() }).nullable(),
  /** The team's current investigators' and recovery keys: the key must be sealed to exactly these. */
  recipientKeys: z.array(z.string()),
  /** false when the team changed since the key was sealed: a holder should seal it again to `recipientKeys`. */
  current: z.boolean(),
});
export const IndexKeyRequest = z.strictObject({
  /** 0 to create the team's first key; else the version being sealed again (the same key). */
  version: z.number().int().min(0),
  sealed: b64(INDEX_KEY_SEALED_BYTES).min(1),
});
export const IndexEntryRequest = z.strictObject({
  version: z.number().int().positive(),
  entry: b64(INDEX_ENTRY_SIZE).min(1),
});
export const IndexEntries = z.object({
  /** The current key version; entries sealed under another are left out (stale). */
  version: z.number().int().positive().nullable(),
  caseIds: z.array(id),
  /**
   * The entries of `caseIds`, in that order, each INDEX_ENTRY_SIZE bytes, as
   * one base64url string: one string instead of ten thousand keeps the
   * response quick to build, check and read.
   */
  entries: z.string(),
});
export type IndexKeyState = z.infer<typeof IndexKeyState>;
export type IndexKeyRequest = z.infer<typeof IndexKeyRequest>;
export type IndexEntryRequest = z.infer<typeof IndexEntryRequest>;
export type IndexEntries = z.infer<typeof IndexEntries>;

// ---- Intake channels, set up by deployment administrators (issue 5, item 1; server/channels/admin-routes.ts) ----
// Everything here is public (the report form and the information page show it) and stored in the clear.
const publicText = (max: number) => z.string().trim().max(max);
export const ChannelContactInput = z.strictObject({
  name: z.string().trim().min(1).max(CHANNEL_LIMITS.contactNameChars),
  reach: z.string().trim().min(1).max(CHANNEL_LIMITS.contactReachChars),
  note: publicText(CHANNEL_LIMITS.contactNoteChars).default(''),
});
export const ChannelTeamInput = z.strictObject({
  teamId: id,
  role: z.enum(CHANNEL_TEAM_ROLES).nullable().default(null),
  note: publicText(CHANNEL_LIMITS.teamNoteChars).default(''),
});
export const ChannelSettingsRequest = z.strictObject({
  name: z.string().trim().min(1).max(LIMITS.channelNameChars),
  /** The languages of this channel's workers, the default first; each once. */
  languages: z.array(z.enum(WORKER_LANGUAGES)).min(1).max(WORKER_LANGUAGES.length),
  /** The teams offered, in the form's order: at least one (400 `no_team_offered`), each once, each existing (400 `team_not_found`). */
  teams: z.array(ChannelTeamInput).max(CHANNEL_LIMITS.teams),
  /** Ticked on the form for the worker: one or more of `teams` (400 `no_team_preselected`, `preselected_not_offered`). */
  preselected: z.array(id).max(CHANNEL_LIMITS.teams),
  runBy: publicText(CHANNEL_LIMITS.runByChars).default(''),
  contacts: z.array(ChannelContactInput).max(CHANNEL_LIMITS.contacts).default([]),
  notes: publicText(CHANNEL_LIMITS.notesChars).default(''),
});
/** A new channel: its slug is in its link and on every poster, so it cannot be changed later (409 `channel_slug_taken`). */
export const ChannelCreateRequest = ChannelSettingsRequest.extend({ slug });
export const ChannelSlugParams = z.object({ slug });
export const AdminChannel = z.object({
  slug,
  name: z.string(),
  languages: z.array(z.enum(WORKER_LANGUAGES)),
  teams: z.array(z.object({
    id,
    name: z.string(),
    /** 40 lowercase hex digits: this team's pin in the channel's link. */
    recoveryFingerprint: z.string(),
    preselected: z.boolean(),
    role: z.enum(CHANNEL_TEAM_ROLES).nullable(),
    note: z.string(),
  })),
  runBy: z.string(),
  contacts: z.array(z.object({ name: z.string(), reach: z.string(), note: z.string() })),
  notes: z.string(),
  createdDay: day,
  changedDay: day.nullable(),
});
export const AdminChannelList = z.object({ channels: z.array(AdminChannel) });
export const ChannelSaved = z.object({
  channel: AdminChannel,
  /** The offered teams changed: the pinned link changed with them, so posters and cards must be printed again. */
  pinsChanged: z.boolean(),
});
/** The teams a channel may offer, for the administrator's picker. */
export const ChannelTeamChoices = z.object({
  teams: z.array(z.object({
    id,
    name: z.string(),
    recoveryFingerprint: z.string(),
    /** Active investigators: a team with none can receive reports only through its offline recovery key. */
    investigators: z.number().int().nonnegative(),
  })),
});
export type ChannelSettingsRequest = z.input<typeof ChannelSettingsRequest>;
export type ChannelCreateRequest = z.input<typeof ChannelCreateRequest>;
export type AdminChannel = z.infer<typeof AdminChannel>;
export type AdminChannelList = z.infer<typeof AdminChannelList>;
export type ChannelSaved = z.infer<typeof ChannelSaved>;
export type ChannelTeamChoices = z.infer<typeof ChannelTeamChoices>;

// ---- Pinned keys: membership, admission and founding teams (issue 5, item 2; server/teams/) ----
/** A v4 OpenPGP fingerprint, 40 lowercase hex digits (as a pinned link carries it). */
export const fingerprint = z.string().regex(/^[0-9a-f]{40}$/);
export const MemberState = z.enum(['pending', 'admitted', 'disabled']);
export const TeamMember = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'investigator']),
  /** pending: accepted an invitation, not yet admitted (no recipient, no case). */
  state: MemberState,
  /** Their key carries a valid certification by the team's recovery key; report forms refuse it otherwise. */
  certified: z.boolean(),
  fingerprint,
  /** Armored: the administrator's browser certifies it when admitting. */
  publicKey: z.string(),
  createdDay: day,
  admittedDay: day.nullable(),
});
export const TeamMembers = z.object({
  /** The administrator's browser checks a loaded recovery key against this before certifying with it. */
  recoveryFingerprint: fingerprint,
  members: z.array(TeamMember),
});
export const MemberParams = z.object({ memberId: id });
/** The member's own key (same fingerprint), now certified by the team's recovery key. */
export const AdmitRequest = z.strictObject({ publicKey: armoredPublicKey });

export const FoundingRequest = z.strictObject({
  teamName: z.string().trim().min(1).max(LIMITS.teamNameChars),
  /** Display name of the team's first administrator. */
  founderName: z.string().trim().min(1).max(LIMITS.displayNameChars),
});
export const PendingFounding = z.object({
  id,
  teamName: z.string(),
  founderName: z.string(),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
/** The link (`/join#found=<token>`) is shown once: only the token's sha256 is stored. */
export const FoundingCreated = PendingFounding.extend({ link: z.string() });
export const FoundingParams = z.object({ foundingId: id });
export const DeploymentTeam = z.object({
  id,
  name: z.string(),
  /** Admitted, not disabled: the keys a report to this team goes to (besides the recovery key). */
  members: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  recoveryFingerprint: fingerprint,
  runsDeployment: z.boolean(),
  createdDay: day,
});
export const DeploymentTeams = z.object({ teams: z.array(DeploymentTeam), foundings: z.array(PendingFounding) });
export const FoundingInfo = z.object({
  teamName: z.string(),
  founderName: z.string(),
  expiresAt: z.number().int(),
  kdf: KdfParams,
});
export const FoundingAcceptRequest = z.strictObject({
  token: inviteToken,
  username,
  ...newAccount,
  /** The new team's recovery key, made in the founder's browser; `publicKey` must be certified by it. */
  recoveryPublicKey: armoredPublicKey,
});
export const FoundingAccepted = z.object({ username: z.string(), teamId: id, teamName: z.string() });
export type TeamMember = z.infer<typeof TeamMember>;
export type TeamMembers = z.infer<typeof TeamMembers>;
export type AdmitRequest = z.infer<typeof AdmitRequest>;
export type FoundingRequest = z.infer<typeof FoundingRequest>;
export type PendingFounding = z.infer<typeof PendingFounding>;
export type FoundingCreated = z.infer<typeof FoundingCreated>;
export type DeploymentTeam = z.infer<typeof DeploymentTeam>;
export type DeploymentTeams = z.infer<typeof DeploymentTeams>;
export type FoundingInfo = z.infer<typeof FoundingInfo>;
export type FoundingAcceptRequest = z.infer<typeof FoundingAcceptRequest>;
export type FoundingAccepted = z.infer<typeof FoundingAccepted>;

// --- people: re-wrapping to a newcomer, removal, recovery (server/members/, server/recovery/) ---

/** Every kind of ciphertext a team's case holds, and the team's sealed inbox index key. */
export const SHARE_ITEM_KINDS = ['index_key', 'report', 'risk', 'message', 'attachment', 'note'] as const;
export const ShareItemKind = z.enum(SHARE_ITEM_KINDS);
export const ShareItem = z.object({
  kind: ShareItemKind,
  id,
  /** b64u of the ciphertext's key packets (PKESK) only, never its encrypted data. */
  header: b64(16_384),
});
export const SharePage = z.object({
  /** The member's key, for the browser to encrypt each session key to. */
  recipientPublicKey: armoredPublicKey,
  /** Ciphertexts of this page that the member cannot read yet. */
  items: z.array(ShareItem),
  /** Pass as `?after=` for the next page; null when this was the last. */
  next: z.string().nullable(),
  /** Ciphertexts looked at so far (this page included), of `total`. */
  scanned: z.number().int(),
  total: z.number().int(),
});
export const ShareRequest = z.strictObject({
  items: z.array(z.strictObject({ kind: ShareItemKind, id, pkesk: b64(1_200).min(1) })).min(1).max(LIMITS.shareBatch),
});
export const ShareResult = z.object({ shared: z.number().int(), skipped: z.number().int() });
export const MemberRemoved = z.object({ memberId: id, sessionsEnded: z.number().int() });
export const RecoveryChallenge = z.object({
  challenge: z.string(),
  expiresAt: z.number().int(),
  /** For the new administrator's password (docs/protocol.md §3). */
  kdf: KdfParams,
});
export const RecoveryRequest = z.strictObject({
  /** Of the recovery key loaded in the browser: names the team. */
  recoveryFingerprint: fingerprint,
  challenge: z.string().max(200),
  /** Armored detached signature by the recovery key over the challenge (crypto/sign.ts). */
  signature: z.string().max(4_096),
  username,
  ...newAccount,
});
export const RecoveryDone = z.object({ investigatorId: id, username: z.string(), teamName: z.string() });
export type ShareItem = z.infer<typeof ShareItem>;
export type SharePage = z.infer<typeof SharePage>;
export type ShareRequest = z.infer<typeof ShareRequest>;
export type ShareResult = z.infer<typeof ShareResult>;
export type MemberRemoved = z.infer<typeof MemberRemoved>;
export type RecoveryChallenge = z.infer<typeof RecoveryChallenge>;
export type RecoveryRequest = z.infer<typeof RecoveryRequest>;
export type RecoveryDone = z.infer<typeof RecoveryDone>;
