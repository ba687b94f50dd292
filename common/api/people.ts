/** People: a team's members and deadlines, invitations, admission and founding teams (pinned keys), giving a newcomer earlier cases, removal, recovery (server/people/, server/invites/, server/recovery/). */
import { z } from 'zod';
import { DEADLINE_BOUNDS, LIMITS, WORKER_LANGUAGES } from '../limits.ts';
import { armoredPublicKey, b64, day, fingerprint, id } from './fields.ts';
import { KdfParams, newAccount, username } from './accounts.ts';

export const TeamInvestigators = z.object({ investigators: z.array(z.object({ id, displayName: z.string() })) });

export const TeamDeadlines = z.strictObject({
  ackDays: z.number().int().min(DEADLINE_BOUNDS.ackDays.min).max(DEADLINE_BOUNDS.ackDays.max),
  feedbackMonths: z.number().int().min(DEADLINE_BOUNDS.feedbackMonths.min).max(DEADLINE_BOUNDS.feedbackMonths.max),
});

export type TeamInvestigators = z.infer<typeof TeamInvestigators>;

export type TeamDeadlines = z.infer<typeof TeamDeadlines>;

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

export type InviteRequest = z.infer<typeof InviteRequest>;

export type PendingInvite = z.infer<typeof PendingInvite>;

export type InviteCreated = z.infer<typeof InviteCreated>;

export type InviteInfo = z.infer<typeof InviteInfo>;

export type InviteAcceptRequest = z.infer<typeof InviteAcceptRequest>;

export type InviteAccepted = z.infer<typeof InviteAccepted>;

export type InviteList = z.infer<typeof InviteList>;

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

/** Error codes (`ErrorBody.error`) of this domain. Invitations, admission and founding (pinned keys), giving a newcomer earlier cases, removal, recovery. */
export const PEOPLE_ERROR_CODES = [
  'invite_invalid', 'invite_used', 'invite_revoked', 'invite_expired', 'invite_not_found', 'username_taken',
  'key_not_certified', 'key_mismatch', 'member_not_found', 'member_disabled', 'founding_invalid', 'founding_used',
  'founding_revoked', 'founding_expired', 'founding_not_found', 'recovery_key_in_use', 'item_not_found',
  'invalid_key_packet', 'last_member', 'last_admin', 'recovery_invalid', 'recovery_expired', 'recovery_reused',
  'recovery_key_unknown', 'signature_invalid',
  'team_name_language_twice', 'team_name_signature_invalid',
] as const;

/**
 * A team's name in the worker languages (docs/protocol.md, "v2: team names in
 * the worker's language"): each signed in the administrator's browser by
 * their own key (crypto/team-name.ts), so the report form can show it
 * without trusting the server. PUT replaces the whole set; an empty list
 * removes every translation.
 */
export const TeamNameEntry = z.strictObject({
  lang: z.enum(WORKER_LANGUAGES),
  name: z.string().trim().min(1).max(LIMITS.teamNameChars),
  /** Armored detached signature over the team id, recovery fingerprint, language and name. */
  signature: z.string().min(1).max(LIMITS.teamNameSignatureChars),
});
export type TeamNameEntry = z.infer<typeof TeamNameEntry>;
export const TeamNames = z.strictObject({
  /** One per language at most (400 `team_name_language_twice`). */
  names: z.array(TeamNameEntry).max(WORKER_LANGUAGES.length),
});
export type TeamNames = z.infer<typeof TeamNames>;
export const TeamNamesView = TeamNames.extend({
  /** What the names are signed together with: the team's id and its recovery key's fingerprint. */
  teamId: id,
  recoveryFingerprint: z.string(),
});
export type TeamNamesView = z.infer<typeof TeamNamesView>;
