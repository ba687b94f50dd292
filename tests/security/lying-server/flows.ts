/**
 * Every browser flow that encrypts, re-wraps, derives a key from a password
 * or token, or shows a worker who will read — in one place. Each names the lies that apply to it, the requests that must
 * not leave the page once it was lied to, and the client files whose
 * encrypting or deriving calls it exercises. coverage.test.ts fails when a
 * flow (or one of its lies) has no harness test, and when a client file calls
 * an encrypting or deriving function but belongs to no flow.
 *
 * `lies` maps each lie to null when the page refuses it according to the
 * contract, or to a short reason when it is a known gap still open (written
 * in docs/threat-model.md; the test's name then says so and it is expected
 * to fail). Before protocol v2 most of these lies were obeyed (the test files'
 * headers say how); today none is open.
 */

export const LIE_IDS = [
  /** Channel answer: the team's investigator keys replaced by an attacker's key the genuine recovery key never certified. */
  'keys-replaced',
  /** The attacker's key certified by the attacker's own recovery key, offered as the team's (a forged trust root). */
  'attacker-certified',
  /** Two teams' names swapped on a channel answer; keys genuine. */
  'team-names-swapped',
  /** The reporter's public key is the attacker's. */
  'reporter-key',
  /** A member's key is the attacker's, with `certified: true` and the attacker's fingerprint (both answers agree). */
  'certified-flag',
  /** A member's key is the attacker's while the fingerprint shown stays genuine. */
  'fingerprint-swapped',
  /** Argon2id parameters lowered to {memoryKiB: 8, iterations: 1}. */
  'kdf-downgrade',
  /** An opaque binding field (added by a v2 fix) dropped from the answer. */
  'binding-dropped',
  /** A team's name in the worker's language made up by the server (signed by no key the pinned recovery key certified), or another team's signed name moved onto it. */
  'team-name-forged',
  /** A deployment's recording of a listen prompt with a signature the named signer never made. */
  'prompt-forged-signature',
  /** A recording signed by a key no recovery key pinned in the link certified (the attacker's own "team"). */
  'prompt-unpinned-signer',
  /** The listed recording genuine, the bytes served for it another sound. */
  'prompt-swapped-audio',
] as const;
export type LieId = (typeof LIE_IDS)[number];

/** null: the page refuses this lie; a string: the known gap that still lets it through. */
export type WaitsFor = string | null;

export interface Flow {
  id: string;
  page: 'report' | 'status' | 'workspace' | 'recover' | 'join' | 'setup';
  what: string;
  lies: Partial<Record<LieId, WaitsFor>>;
  /** `METHOD /path` of the requests that carry this flow's result: none may be sent after a lie. */
  writes: RegExp;
  /** Client files (from the repository root) whose encrypt/re-wrap/derive calls belong to this flow. */
  sources: readonly string[];
}

const STATUS_WRITES = /^POST \/api\/(status\/(messages|retaliation|satisfaction)|uploads)$/;
const STATUS_SOURCES = ['client/status/session.ts', 'client/lib/thread.ts'];

export const FLOWS = [
  // ---- the report form ----
  {
    id: 'report.send', page: 'report', what: 'a worker sends a report (and files) to the teams the pinned link names',
    lies: { 'keys-replaced': null, 'attacker-certified': null },
    writes: /^POST \/api\/(intake|uploads)$/,
    sources: ['client/lib/report-sender.ts', 'client/lib/groundwork.ts', 'client/media/attachment-box.ts'],
  },
  {
    id: 'report.team-names', page: 'report', what: 'the form shows which teams will read the report',
    lies: { 'team-names-swapped': null },
    writes: /^POST \/api\/(intake|uploads)$/,
    sources: ['client/report/teams.ts'],
  },
  {
    id: 'report.team-names-local', page: 'report', what: 'the form names the teams in the worker’s language (docs/protocol.md, "v2: team names in the worker’s language")',
    lies: { 'team-name-forged': null },
    writes: /^POST \/api\/(intake|uploads)$/,
    sources: ['client/lib/pins.ts', 'client/report/teams.ts'],
  },
  {
    id: 'report.listen-recorded', page: 'report',
    what: 'a listen control plays the deployment’s own recording only when a key the link pins vouches for it; otherwise the built clip, unmarked',
    lies: { 'prompt-forged-signature': null, 'prompt-unpinned-signer': null, 'prompt-swapped-audio': null },
    writes: /^(POST|PUT) \/api\/(prompts|intake|uploads)/,
    sources: ['client/lib/listen-recorded.ts'],
  },
  // ---- the status page: every follow-up kind ----
  {
    id: 'status.reply', page: 'status', what: 'a worker’s written reply on the status page',
    // Refused by the status fix (v2 binding; merged): before it, reporter-key lies were obeyed and the team-key lies sent nothing but showed no attribute.
    lies: { 'reporter-key': null, 'keys-replaced': null, 'attacker-certified': null, 'binding-dropped': null },
    writes: STATUS_WRITES, sources: STATUS_SOURCES,
  },
  {
    id: 'status.file', page: 'status', what: 'a file sent with a reply',
    lies: { 'reporter-key': null, 'keys-replaced': null }, writes: STATUS_WRITES, sources: ['client/status/reply.ts'],
  },
  {
    id: 'status.voice', page: 'status', what: 'a voice message sent with a reply',
    lies: { 'reporter-key': null }, writes: STATUS_WRITES, sources: ['client/voice/attach.ts'],
  },
  {
    id: 'status.retaliation', page: 'status', what: 'a retaliation report',
    lies: { 'reporter-key': null, 'attacker-certified': null }, writes: STATUS_WRITES, sources: ['client/status/followup.ts'],
  },
  {
    id: 'status.meeting', page: 'status', what: 'a meeting request',
    lies: { 'reporter-key': null }, writes: STATUS_WRITES, sources: ['client/status/followup.ts'],
  },
  {
    id: 'status.transcript-approve', page: 'status', what: 'approving a transcript the team sent',
    lies: { 'reporter-key': null }, writes: STATUS_WRITES, sources: ['client/status/kinds.ts'],
  },
  {
    id: 'status.transcript-correct', page: 'status', what: 'correcting a transcript the team sent',
    lies: { 'reporter-key': null }, writes: STATUS_WRITES, sources: ['client/status/kinds.ts'],
  },
  {
    id: 'status.satisfaction', page: 'status', what: 'the one question after closure, with a comment',
    lies: { 'reporter-key': null }, writes: STATUS_WRITES, sources: ['client/status/followup.ts'],
  },
  {
    id: 'status.lookup', page: 'status', what: 'the token look-up derives its secrets with the fixed token KDF, whatever the server says',
    lies: { 'kdf-downgrade': null }, writes: /^POST \/api\/status$/, sources: ['client/status/session.ts', 'client/lib/report-sender.ts', 'client/lib/groundwork.ts'],
  },
  // ---- the workspace ----
  {
    id: 'workspace.reply', page: 'workspace', what: 'a reply (or transcript) to the reporter',
    lies: { 'reporter-key': null, 'attacker-certified': null },
    writes: /^POST \/api\/cases\/[^/]+\/messages$/, sources: ['client/team/case-actions.ts', 'client/lib/thread.ts'],
  },
  {
    id: 'workspace.voice-reply', page: 'workspace', what: 'a voice reply to the reporter, recorded in the workspace',
    lies: { 'reporter-key': null, 'attacker-certified': null },
    writes: /^POST \/api\/cases\/[^/]+\/(voice|messages)$/, sources: ['client/team/reply-voice.ts'],
  },
  {
    id: 'workspace.note', page: 'workspace', what: 'an internal note',
    lies: { 'attacker-certified': null }, writes: /^POST \/api\/cases\/[^/]+\/notes$/, sources: ['client/team/notes.ts'],
  },
  {
    id: 'workspace.risk', page: 'workspace', what: 'the rationale of a retaliation-risk assessment',
    lies: { 'attacker-certified': null }, writes: /^POST \/api\/cases\/[^/]+\/risk$/, sources: ['client/team/risk.ts'],
  },
  {
    id: 'workspace.index-key', page: 'workspace', what: 'sealing the team’s inbox index key to the team’s keys',
    lies: { 'attacker-certified': null }, writes: /^PUT \/api\/team\/index-key$/,
    sources: ['client/team/index-key.ts', 'client/team/search.ts'],
  },
  {
    id: 'workspace.on-behalf', page: 'workspace', what: 'a report entered on a worker’s behalf',
    lies: { 'keys-replaced': null, 'attacker-certified': null, 'team-names-swapped': null },
    writes: /^POST \/api\/(intake|uploads|team\/on-behalf)$/, sources: ['client/team/on-behalf/view.ts'],
  },
  {
    id: 'workspace.admission', page: 'workspace', what: 'admitting a newcomer: certify their key with the recovery key, then re-wrap',
    lies: { 'fingerprint-swapped': null },
    writes: /^POST \/api\/team\/members\/[^/]+\/(admit|share)$/, sources: ['client/team/admit.ts'],
  },
  {
    id: 'workspace.give-access', page: 'workspace', what: '“Give access to earlier cases”: re-wrap session keys to a member',
    lies: { 'keys-replaced': null, 'certified-flag': null },
    writes: /^POST \/api\/team\/members\/[^/]+\/share$/, sources: ['client/accounts/share.ts', 'client/team/member-actions.ts'],
  },
  {
    id: 'workspace.sign-in', page: 'workspace', what: 'signing in: the password-derived verifier and wrap key',
    lies: { 'kdf-downgrade': null },
    writes: /^POST \/api\/auth\/login$/, sources: ['client/team/login.ts', 'client/lib/account-keys.ts'],
  },
  {
    id: 'workspace.trust-root', page: 'workspace',
    what: 'the workspace’s trust root comes from the password-wrapped envelope, not from a field the server names',
    lies: { 'binding-dropped': null },
    writes: /^(POST \/api\/cases\/[^/]+\/messages|PUT \/api\/auth\/envelope)$/, sources: ['client/accounts/keyring.ts', 'client/team/trust-setup.ts'],
  },
  // ---- accounts made outside the workspace ----
  {
    id: 'setup.create', page: 'setup', what: 'the first administrator’s account and the team’s recovery key',
    lies: { 'kdf-downgrade': null }, writes: /^POST \/api\/setup$/, sources: ['client/setup/create.ts', 'client/setup/main.ts'],
  },
  {
    id: 'join.invite', page: 'join', what: 'joining a team by invitation',
    lies: { 'kdf-downgrade': null }, writes: /^POST \/api\/invites\/accept$/, sources: ['client/join/create.ts'],
  },
  {
    id: 'join.found', page: 'join', what: 'founding a team: the founder’s account and the new recovery key',
    lies: { 'kdf-downgrade': null }, writes: /^POST \/api\/foundings\/accept$/, sources: ['client/join/found.ts'],
  },
  {
    id: 'recover.account', page: 'recover', what: '/recover: a new administrator from the recovery key',
    lies: { 'kdf-downgrade': null }, writes: /^POST \/api\/recovery$/, sources: ['client/recover/recover.ts'],
  },
  {
    id: 'recover.rewrap', page: 'recover', what: '/recover: re-wrapping earlier cases to the new administrator',
    lies: { 'keys-replaced': null }, writes: /^POST \/api\/team\/members\/[^/]+\/share$/, sources: ['client/recover/recover.ts'],
  },
] as const satisfies readonly Flow[];

export type FlowId = (typeof FLOWS)[number]['id'];

/**
 * Calls that encrypt, re-wrap, certify, seal or derive a key: a client file
 * with one of these belongs to a flow above (its `sources`).
 */
export const SENSITIVE_CALL =
  /\b(encryptJson|encryptPayload|encryptText|sealForKeys|sealIndexEntry|sealAccountKey|sealContent|sealTeamOnly|sealMessage|rewrapSessionKey|addRecipient|certifyKey|derivePasswordSecrets|deriveTokenSecrets|wrapKey|unwrapKey)\s*\(/;
