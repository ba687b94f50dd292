/**
 * The shape of a deployment that grew for years, case by case, as pure
 * functions of the case's index (deterministic: the same count gives the
 * same deployment). Used by bench/grow.ts; unit-tested in scripts/bench/.
 *
 * - teams: the first `bigShare` of the cases go to team 0 (100,000 of
 *   1,000,000); the rest round-robin over the other teams;
 * - age: received up to five years ago, spread evenly;
 * - stage: cases older than 90 days are closed (60 days after receipt);
 * - due: one case in ten was closed longer ago than its team keeps cases,
 *   so the purge has that many to delete;
 * - thread: 1 to 5 messages (3 on average), alternating reporter and team;
 * - files: one case in ten carries one file;
 * - the due cases have threads and files in the same proportions.
 */
export const YEARS_DAYS = 5 * 365;
/** Every team keeps closed cases this long (ten years); the due cases were closed longer ago. */
export const RETENTION_DAYS = 3650;

export interface CaseShape {
  team: number;
  receivedAgo: number;
  /** Days ago it was closed, or null while open. */
  closedAgo: number | null;
  /** Past its team's retention: the purge deletes it. */
  due: boolean;
  messages: number;
  file: boolean;
}

export function teamOf(i: number, cases: number, teams: number, bigShare = 0.1): number {
  const big = Math.floor(cases * bigShare);
  if (i < big || teams === 1) return 0;
  return 1 + ((i - big) % (teams - 1));
}

export function caseShape(i: number, cases: number, teams: number): CaseShape {
  const due = i % 10 === 0;
  const receivedAgo = due ? RETENTION_DAYS + 61 + (i % 300) : (i * 7919) % YEARS_DAYS;
  const closedAgo = due ? receivedAgo - 60 : receivedAgo > 90 ? receivedAgo - 60 : null;
  // The thread and the file count by the tens as well as the ones, so that the due cases (i % 10 === 0) have
  // threads and files like the others: until the twentieth run every due case had one message and none a file,
  // and the purge measured deleted no file at all.
  const tens = Math.floor(i / 10);
  return { team: teamOf(i, cases, teams), receivedAgo, closedAgo, due, messages: 1 + ((i + tens) % 5), file: tens % 10 === 3 };
}
