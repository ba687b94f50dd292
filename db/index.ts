/**
 * The storage layer's front door: open a database, then build every
 * repository on it once. The server sees only these functions and the domain
 * types; no SQL and no better-sqlite3 API leave `db/`.
 */
import { writeTransaction, type Db } from './database.ts';
import { createTeamsRepo } from './teams.repo.ts';
import { createTeamNamesRepo } from './team-names.repo.ts';
import { createChannelsRepo } from './channels.repo.ts';
import { createInvestigatorsRepo } from './investigators.repo.ts';
import { createCasesRepo } from './cases.repo.ts';
import { createCaseListsRepo } from './case-lists.repo.ts';
import { createMessagesRepo } from './messages.repo.ts';
import { createSessionsRepo } from './sessions.repo.ts';
import { createAuditRepo } from './audit.repo.ts';
import { createSetupRepo } from './setup.repo.ts';
import { createPowRepo } from './pow.repo.ts';
import { createUploadsRepo } from './uploads.repo.ts';
import { createNotificationsRepo } from './notifications.repo.ts';
import { createNotesRepo } from './notes.repo.ts';
import { createCaseWorkRepo } from './case-work.repo.ts';
import { createCaseIndexRepo } from './case-index.repo.ts';
import { createInvitesRepo } from './invites.repo.ts';
import { createTotpRepo } from './totp.repo.ts';
import { createRetentionRepo } from './retention.repo.ts';
import { createShareRepo } from './share.repo.ts';
import { createMembersRepo } from './members.repo.ts';
import { createFoundingsRepo } from './foundings.repo.ts';
import { createPromptsRepo } from './prompts.repo.ts';
import { groupCommit } from './group-commit.ts';

export { openDatabase, migrate, loadMigrations, pendingMigrations, schemaVersion, MigrationError, filesPathFor } from './database.ts';
export { backupBeforeUpgrade, upgradeBackupName } from './backup.ts';
export { startCheckpointer } from './checkpointer.ts';
export type { Db, Migration, OpenOptions } from './database.ts';
export type { Team, NewTeam } from './teams.repo.ts';
export type { TeamName } from './team-names.repo.ts';
export type { Channel, ChannelContact, ChannelSettings, ChannelTeamEntry, IntakeTeam, NewChannel } from './channels.repo.ts';
export type { InvestigatorRecord, PasswordKdf, Role } from './investigators.repo.ts';
export type { CaseRecord, CaseWorkflow } from './case-rows.ts';
export type { StageEntry, StageChange, ReporterFollowUp } from './cases.repo.ts';
export type { TeamCaseListing } from './case-lists.repo.ts';
export type { MessageRecord, Author } from './messages.repo.ts';
export type { SessionRecord } from './sessions.repo.ts';
export type { AuditEvent, NewAuditEvent, AuditActor, AuditDetail, ChainCheck, PendingAuditEvent } from './audit.repo.ts';
export type { SetupTokenRecord } from './setup.repo.ts';
export type { NoteRecord } from './notes.repo.ts';
export type { RiskAssessment, Exclusion } from './case-work.repo.ts';
export type { AttachmentInfo, PartialUpload, StagedUpload, TicketUsage } from './uploads.repo.ts';
export type { NotificationAddress } from './notifications.repo.ts';
export type { TeamIndexKey, IndexEntry } from './case-index.repo.ts';
export type { InviteRecord } from './invites.repo.ts';
export type { TotpRecord } from './totp.repo.ts';
export type { LegalHold, PurgeCandidate, Checkpoint, DueCursor, DuePage } from './retention.repo.ts';
export { SHARE_KINDS, type ShareHead, type ShareKind, type ShareScope } from './share.repo.ts';
export type { FoundingRecord } from './foundings.repo.ts';
export type { PromptRecording } from './prompts.repo.ts';

export function createRepositories(db: Db) {
  // Made once: better-sqlite3 builds four wrappers and their properties for each db.transaction() call,
  // ≈ 4 µs that every report paid (docs/performance.md, sixteenth run). The work is passed as the argument.
  // Begun IMMEDIATE, as every transaction that writes (db/database.ts writeTransaction).
  const inTransaction = writeTransaction(db, (work: () => unknown) => work());
  return {
    teams: createTeamsRepo(db),
    teamNames: createTeamNamesRepo(db),
    channels: createChannelsRepo(db),
    investigators: createInvestigatorsRepo(db),
    cases: createCasesRepo(db),
    caseLists: createCaseListsRepo(db),
    messages: createMessagesRepo(db),
    sessions: createSessionsRepo(db),
    audit: createAuditRepo(db),
    setup: createSetupRepo(db),
    pow: createPowRepo(db),
    uploads: createUploadsRepo(db),
    notifications: createNotificationsRepo(db),
    notes: createNotesRepo(db),
    caseWork: createCaseWorkRepo(db),
    caseIndex: createCaseIndexRepo(db),
    invites: createInvitesRepo(db),
    totp: createTotpRepo(db),
    retention: createRetentionRepo(db),
    share: createShareRepo(db),
    members: createMembersRepo(db),
    foundings: createFoundingsRepo(db),
    prompts: createPromptsRepo(db),
    /**
     * Runs `work` in one transaction: all of its writes commit together or
     * none does. `work` must be synchronous (better-sqlite3); do every await
     * before. Nested calls become savepoints.
     */
    transaction<T>(work: () => T): T {
      return inTransaction(work) as T;
    },
    /**
     * Like `transaction`, but the commit is shared with the other works queued in the same turn of the
     * event loop, each in a savepoint of its own (./group-commit.ts). Resolves after the commit, with
     * `work`'s result; rejects with its error, its writes rolled back and the others' kept.
     */
    groupTransaction: groupCommit(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
