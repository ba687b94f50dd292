/**
 * Grows a deployment for years, through the repositories, in bulk
 * transactions (bench/grow-plan.ts says what each case looks like):
 * `cases` cases over `teams` teams (team 0 is the big one, with its own
 * channel and an administrator who can sign in), each with its first
 * history entry, a thread of real ciphertexts, one case in ten with one
 * file of `fileBytes` (a real ciphertext; blobs reused across cases, but
 * SQLite stores each attachment's copy), and the audit trail that implies:
 * the sealed `case.received`, a `case.replied` per team message, a
 * `case.stage_changed` when closed.
 *
 * The files' bodies (the files' file beside the database, db/database.ts
 * attachFiles) are written meanwhile on the other core, by a thread of their
 * own into a file of their own, which replaces the empty files' file at the
 * end: their ids are drawn before the cases.
 *
 * Returns the credentials of a sample of cases (for status look-ups).
 */
import { renameSync, rmSync } from 'node:fs';
import { describePublicKey, encryptPayload, generateKeyPair, randomBytes, toBase64Url, toHex, utf8 } from '../crypto/index.ts';
import type { OmbudApp } from '../server/app.ts';
import { addDays, dayOf, type Clock } from '../server/clock.ts';
import { teamRecipients } from '../server/recipients/recipients.ts';
import type { Db } from '../db/index.ts';
import { filesPathFor } from '../db/database.ts';
import { bulkLoad, writeBodiesInBulk } from '../db/bulk-load.ts';
import { addTeam, type TestTeam } from '../server/testing/organisation.ts';
import { RETENTION_DAYS, caseShape } from './grow-plan.ts';

export interface Grown {
  teams: TestTeam[];
  /** Credentials of sampled cases, for POST /api/status. */
  sample: Array<{ lookupId: string; verifier: string }>;
  seconds: number;
  /** Puts the files' bodies, written beside, in the files' file's place: after the database is closed. */
  placeFiles(): void;
}

/**
 * Random bytes for the generator's ids and hashes, drawn from the system's
 * generator 1 MiB at a time: one call for each 16 or 32 bytes cost ~0.1 ms of
 * a case's ~0.75 ms (profile of 10,000 cases).
 */
function randomPool(): (size: number) => Uint8Array {
  let pool: Uint8Array = new Uint8Array(0);
  let at = 0;
  return (size) => {
    if (at + size > pool.length) {
      pool = randomBytes(1 << 20);
      at = 0;
    }
    at += size;
    return pool.subarray(at - size, at);
  };
}

/**
 * The generated years' days, each made once: the day `ago` days before `today` (negative: after it), and
 * 10:00 UTC on it in milliseconds, the time of the investigators' events. Made anew for each case
 * (server/clock.ts addDays parses a day and prints one), about ten per case took 3 % of the generation
 * (profile of 100,000 cases, twenty-first run).
 */
function calendar(today: string): (ago: number) => { day: string; at: number } {
  const days = new Map<number, { day: string; at: number }>();
  return (ago) => {
    let known = days.get(ago);
    if (!known) {
      const day = addDays(today, -ago);
      known = { day, at: Date.parse(`${day}T10:00:00Z`) };
      days.set(ago, known);
    }
    return known;
  };
}

export async function grow(
  app: OmbudApp,
  clock: Clock,
  opts: {
    cases: number; teams: number; fileBytes: number; password: string; sample: number; log?: (line: string) => void; db?: Db;
    /** Called after every 10,000 cases with how many are done. */
    progress?: (done: number) => void;
  },
): Promise<Grown> {
  const started = performance.now();
  const { repos, keys } = app.ombud;
  const deps = { repos, clock };
  const teams: TestTeam[] = [];
  for (let t = 0; t < opts.teams; t++) {
    teams.push(await addTeam(deps, {
      name: `Team ${t}`, channelSlug: `grown-${t}`, runsDeployment: t === 0,
      admin: { username: `grown.admin.${t}`, ...(t === 0 ? { password: opts.password } : {}) },
    }));
    repos.retention.setRetentionDays(teams[t]!.id, RETENTION_DAYS);
  }
  const reporter = await generateKeyPair({ name: 'Ombud reporter', kind: 'reporter' });
  const reporterInfo = await describePublicKey(reporter.publicKey);
  // Real ciphertexts per team: a ~2 KB report, a ~600 B message, a file of fileBytes.
  const blobs = await Promise.all(teams.map(async (team) => {
    const recipients = [...teamRecipients(repos, [team.id]).map((k) => k.armored), reporter.publicKey];
    const keyIds = teamRecipients(repos, [team.id]).flatMap((k) => k.keyIds ?? []);
    return {
      report: await encryptPayload({ data: utf8(JSON.stringify({ v: 1, what: 'grown report '.repeat(160) })), recipients }),
      message: await encryptPayload({ data: utf8('a message in the thread '.repeat(25)), recipients }),
      file: opts.fileBytes > 0 ? await encryptPayload({ data: randomBytes(opts.fileBytes), recipients }) : new Uint8Array(),
      keyIds,
    };
  }));
  const today = dayOf(clock.now());
  const daysAgo = calendar(today);
  const random = randomPool();
  const newId = () => toBase64Url(random(16));
  const fileIds = new Map<number, string>();
  if (opts.fileBytes > 0) for (let i = 0; i < opts.cases; i++) if (caseShape(i, opts.cases, opts.teams).file) fileIds.set(i, newId());
  if (fileIds.size > 0 && !opts.db) throw new Error('files are written beside the database: grow needs opts.db');
  const bodies = opts.db && fileIds.size > 0
    ? writeBodies(opts.db, [...fileIds].map(([i, id]) => ({ id, blob: caseShape(i, opts.cases, opts.teams).team })), blobs.map((b) => b.file))
    : undefined;
  const sampleEvery = Math.max(1, Math.floor(opts.cases / Math.max(1, opts.sample)));
  const sample: Grown['sample'] = [];
  // Generation only (db/bulk-load.ts): no fsyncs, no rollback journal, a big cache; restored after.
  // One transaction for every case: a commit writes every page it changed, and each batch of a few thousand
  // cases changed a page in most leaves of the indexes on random keys (case, lookup and message ids), so
  // the batches of 2,000 wrote 33 GB for a 10 GB database of 400,000 cases; in one, with the cache holding
  // those indexes, 13 GB (docs/performance.md, "Seventeenth run"). Without a journal, pages that do not
  // fit in the cache go to the file as they are pushed out, not at the end.
  bulkLoad(opts.db, () => {
    repos.transaction(() => {
      for (let i = 0; i < opts.cases; i++) {
        const shape = caseShape(i, opts.cases, opts.teams);
        const team = teams[shape.team]!;
        const blob = blobs[shape.team]!;
        const received = daysAgo(shape.receivedAgo).day;
        const closed = shape.closedAgo === null ? null : daysAgo(shape.closedAgo);
        let lookupHash = toHex(random(32));
        let verifierHash = toHex(random(32));
        // (i + 1): every tenth case (i % 10 === 0) is due for purging, and so was every sampled one at 100,000 cases and more.
        if ((i + 1) % sampleEvery === 0 && sample.length < opts.sample && !shape.due) {
          const credentials = { lookupId: toBase64Url(randomBytes(32)), verifier: toBase64Url(randomBytes(32)) };
          lookupHash = keys.hmacHex('lookup', credentials.lookupId);
          verifierHash = keys.hmacHex('verifier', credentials.verifier);
          sample.push(credentials);
        }
        const caseId = newId();
        repos.cases.create({
          id: caseId, channelSlug: team.channelSlug, stage: closed ? 'closed' : 'received', receivedDay: received,
          acknowledgeByDay: daysAgo(shape.receivedAgo - 7).day, feedbackMonths: 3, acknowledgedDay: closed ? daysAgo(shape.receivedAgo - 2).day : null,
          closedDay: closed?.day ?? null, lastActivityDay: closed?.day ?? received, lookupHash, verifierHash,
          reporterPublicKey: reporter.publicKey, reporterKeyIds: reporterInfo.encryptionKeyIds, wrappedReporterKey: 'AAAA',
          report: blob.report,
        }, [team.id]);
        repos.audit.append({ day: received, at: null, actor: 'reporter', investigatorId: null, caseId, action: 'case.received', detail: { channel: team.channelSlug, teams: team.id } });
        for (let m = 0; m < shape.messages; m++) {
          const author = m % 2 === 0 ? 'team' : 'reporter';
          const { day, at } = daysAgo(shape.receivedAgo - 1 - m);
          repos.messages.create({ id: newId(), caseId, author, investigatorId: author === 'team' ? team.admin.id : null, day, body: blob.message });
          if (author === 'team') {
            repos.audit.append({ day, at, actor: 'investigator', investigatorId: team.admin.id, caseId, action: 'case.replied', detail: {} });
          }
        }
        const uploadId = fileIds.get(i);
        if (uploadId !== undefined) {
          repos.uploads.stage({ id: uploadId, ticketId: newId(), keyIds: blob.keyIds, size: blob.file.length, purgeAfter: clock.now() + 3_600_000 });
          repos.uploads.attach(uploadId, caseId);
        }
        if (closed) {
          repos.audit.append({ day: closed.day, at: closed.at, actor: 'investigator', investigatorId: team.admin.id, caseId, action: 'case.stage_changed', detail: { to: 'closed' } });
        }
        if (opts.progress && (i + 1) % 10_000 === 0) opts.progress(i + 1);
        if (opts.log && (i + 1) % 50_000 === 0) opts.log(`grown ${i + 1} of ${opts.cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    });
  });
  // Every generated event went into the chain sealed, as the daily batches of those years would have put
  // it; so the batches' mark for the events implied by case rows (migration 024) stands where the last
  // one left it, a day back. Left at its start instead, the first batch after generation would read
  // every generated case once, which no deployment that ran its batches does.
  repos.audit.markImpliedSealed(today);
  const placeFiles = (await bodies?.()) ?? (() => undefined);
  return { teams, sample, seconds: Math.round((performance.now() - started) / 100) / 10, placeFiles };
}

/**
 * Writes the files' bodies into a new file beside the files' file, on a thread of its own, while the cases are
 * generated. The returned function waits for it, and gives the one that puts that file in the files' file's place
 * once the generator's connection, which has the empty one attached and never writes to it, is closed.
 * Like db/bulk-load.ts: no journal, no syncs (the generator syncs what it made at its end).
 */
function writeBodies(db: Db, files: Array<{ id: string; blob: number }>, blobs: Uint8Array[]): () => Promise<() => void> {
  const target = filesPathFor(db.name);
  const growing = `${target}.growing`;
  const done = writeBodiesInBulk(growing, files, blobs);
  done.catch(() => undefined); // a writer that fails early is reported when it is awaited, not as an unhandled rejection
  return async () => {
    try {
      await done;
    } catch (error) {
      rmSync(growing, { force: true });
      throw error;
    }
    return () => {
      if (db.open) throw new Error('the files\' file is replaced only after the generator\'s connection is closed');
      renameSync(growing, target);
    };
  };
}
