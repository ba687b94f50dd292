/**
 * Where one intake request's server time goes, phase by phase: the building
 * blocks receiveReport (server/intake/receive.ts) calls, each timed alone
 * over the same valid bodies, sequentially, in this process, against a file
 * database with the production pragmas. A diagnostic for docs/performance.md,
 * not part of `npm run bench`.
 *
 * It also counts the write-ahead log frames (whole pages) each report's
 * commit writes: a count the machine's load cannot move, unlike the times.
 * After each case transaction a PASSIVE checkpoint copies the log back and
 * reports how many frames it held; the next write starts the log afresh, so
 * each count is that one commit's. (The checkpoints cost an fsync each, so
 * the wall times here are not the server's; the CPU per phase is unaffected.)
 * The page number in each frame's header, matched with SQLite's dbstat at
 * the end, says which table or index each page belongs to.
 *
 *   npx tsx bench/intake-phases.ts [count=400]
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeField } from '../server/encoding.ts';
import { withReportSolution } from '../server/reporter/pow-challenge.ts';
import { reporterKeyReader } from '../server/recipients/describe.ts';
import { assertEncryptedTo, teamRecipientIds } from '../server/recipients/recipients.ts';
import { verifyPow } from '../crypto/index.ts';
import { createTestServer } from '../server/testing.ts';
import { makeIntakeBodies } from './load.ts';
import { checkpointLog, pageOwners, pageSize } from '../db/wal-pages.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const count = Number(process.argv[2] ?? 400);
const dir = mkdtempSync(join(tmpdir(), 'ombud-phases-'));
const t = await createTestServer({ dbPath: join(dir, 'ombud.db'), config: { powDifficulty: 8 } });
const http = createServer(t.app);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
const bodies = await makeIntakeBodies(url, t.team.channelSlug, count);
http.close();

// Wall time and this process's CPU time (process.cpuUsage: the machine is shared, and CPU
// time swings far less with the neighbours' load than wall time does).
const totals = new Map<string, { ms: number; cpuMs: number }>();
async function phase<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  const t = totals.get(name) ?? { ms: 0, cpuMs: 0 };
  totals.set(name, { ms: t.ms + performance.now() - start, cpuMs: t.cpuMs + (used.user + used.system) / 1000 });
  return result;
}

/** The same for synchronous work inside a transaction (an awaited phase would end after the commit). */
function phaseSync<T>(name: string, work: () => T): T {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(cpu);
  const t = totals.get(name) ?? { ms: 0, cpuMs: 0 };
  totals.set(name, { ms: t.ms + performance.now() - start, cpuMs: t.cpuMs + (used.user + used.system) / 1000 });
  return result;
}

const ctx = t.app.ombud;
const pageBytes = pageSize(t.db);
const checkpoint = () => checkpointLog(t.db);
checkpoint();
const frames: number[] = [];
const walPath = join(dir, 'ombud.db-wal');
/** How many times each page was in a report's commit. */
const pageCounts = new Map<number, number>();
/** The page numbers of the first `log` frames of the log (a frame: 24-byte header, page number first; after the 32-byte log header). */
function countPages(log: number) {
  const fd = openSync(walPath, 'r');
  const header = Buffer.alloc(4);
  try {
    for (let i = 0; i < log; i += 1) {
      readSync(fd, header, 0, 4, 32 + i * (24 + pageBytes));
      const page = header.readUInt32BE(0);
      pageCounts.set(page, (pageCounts.get(page) ?? 0) + 1);
    }
  } finally {
    closeSync(fd);
  }
}
const readReporterKey = await reporterKeyReader('reporterPublicKey');
for (const body of bodies) {
  await phase('parse JSON body (5.5 KB)', () => JSON.parse(JSON.stringify(body)));
  await phase('verifyPow (one SHA-256, the shared wasm hasher)', () => verifyPow({ ...body.pow, difficulty: 8 }));
  const lookupHash = await phase('the lookup id\'s keyed hash', () => ctx.keys.hmacHex('lookup', body.lookupId));
  // As receiveReport: the challenge is checked first; every read, check and write after it is one transaction.
  await withReportSolution(ctx, body.pow, async (spend) => {
    await phase('case transaction (every read, check and write; one commit)', () => ctx.repos.transaction(() => {
      // The case's id, made from the challenge: storing the case spends it (no used_pow row).
      const caseId = phaseSync('  inside it: the challenge not spent (reads)', spend);
      phaseSync('  inside it: the lookup id not taken', () => ctx.repos.cases.lookupHashTaken(lookupHash));
      // The channel's offered teams, each team once, the recipients' key ids (no armored keys).
      const recipients = phaseSync('  inside it: channel, teams, recipient key ids (reads)', () => {
        const offered = ctx.repos.channels.intakeTeams(body.channel);
        if (!offered) throw new Error('no channel');
        return teamRecipientIds(body.teamIds.map((id) => offered.find((team) => team.id === id)!));
      });
      const key = phaseSync('  inside it: the reporter key, from its packets', () => readReporterKey(body.reporterPublicKey));
      const report = phaseSync('  inside it: decode base64url fields', () => {
        decodeField('wrappedReporterKey', body.wrappedReporterKey);
        return decodeField('report', body.report);
      });
      phaseSync('  inside it: assertEncryptedTo (inspect packets)', () => assertEncryptedTo(report, [
        ...recipients, { label: 'reporter', keyIds: key.encryptionKeyIds },
      ]));
      const receivedEvent = phaseSync('  inside it: the audit event (kept in the case row)', () =>
        ctx.audit.caseReceived(caseId, '2026-11-24', { channel: body.channel, teams: body.teamIds.join(',') }));
      phaseSync('  inside it: cases.create (case, case_teams rows)', () => ctx.repos.cases.create({
        id: caseId, channelSlug: body.channel, stage: 'received', receivedDay: '2026-11-24', acknowledgeByDay: '2026-12-01',
        feedbackMonths: 3, acknowledgedDay: null, closedDay: null, lastActivityDay: '2026-11-24',
        lookupHash, verifierHash: ctx.keys.hmacHex('verifier', body.verifier),
        reporterPublicKey: body.reporterPublicKey, reporterKeyIds: key.encryptionKeyIds,
        wrappedReporterKey: body.wrappedReporterKey, report,
      }, body.teamIds, receivedEvent));
    }));
  });
  const { busy, log, checkpointed } = checkpoint();
  if (busy !== 0 || checkpointed !== log) throw new Error('the checkpoint did not copy the whole log back: frame counts would run on');
  frames.push(log);
  countPages(log);
}
const owners = pageOwners(t.db);
const byOwner = new Map<string, number>();
for (const [page, n] of pageCounts) {
  const owner = owners.get(page) ?? (page === 1 ? 'page 1 (the database header)' : `page ${page} (free now)`);
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + n);
}
t.close();
rmSync(dir, { recursive: true, force: true });

console.log(`per request, mean of ${count} sequential: wall ms, CPU ms`);
for (const [name, t] of totals) console.log(`${(t.ms / count).toFixed(3).padStart(8)} ${(t.cpuMs / count).toFixed(3).padStart(8)}  ${name}`);
const sorted = [...frames].sort((a, b) => a - b);
const mean = frames.reduce((a, b) => a + b, 0) / count;
console.log(`WAL frames per report (the case transaction's commit; page ${pageBytes} B): mean ${mean.toFixed(2)}, ` +
  `median ${sorted[Math.floor(count / 2)]}, min ${sorted[0]}, max ${sorted.at(-1)}; ≈ ${Math.round((mean * (pageBytes + 24)) / 1024)} KB written`);
console.log('of which, per report (table or index, and its kind of page):');
for (const [owner, n] of [...byOwner].sort((a, b) => b[1] - a[1])) console.log(`${(n / count).toFixed(2).padStart(8)}  ${owner}`);
