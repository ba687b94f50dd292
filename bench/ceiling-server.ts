/**
 * The ceiling: the least a server can do with an intake body on this stack.
 * Express 5 parses the same JSON (same size limit), decodes the report and
 * inserts a row of the same size into better-sqlite3 with Ombud's pragmas
 * (WAL, synchronous=FULL, foreign_keys, the log's checkpoint interval) —
 * and nothing else: no proof of work, no key parsing, no packet
 * inspection, no headers, no audit.
 *
 * Its commits are grouped as Ombud's intake groups them (db/group-commit.ts):
 * the rows of the requests that arrive in the same turn of the event loop
 * share one transaction, and each is answered after its COMMIT. A ceiling
 * that committed each row alone would no longer be the least a server can
 * do, and the comparison would measure the grouping, not intake's checks.
 *
 * Run by bench/run.ts as a child process; prints `{"url": …}` on one line.
 */
import Database from 'better-sqlite3';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LIMITS } from '../common/limits.ts';
import { WAL_CHECKPOINT_PAGES } from '../db/database.ts';
import { installProbe } from './probe.ts';

const dir = mkdtempSync(join(tmpdir(), 'ombud-bench-ceiling-'));
const db = new Database(join(dir, 'ceiling.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
db.exec(`CREATE TABLE rows (
  id TEXT PRIMARY KEY, channel TEXT NOT NULL, lookup TEXT NOT NULL UNIQUE, verifier TEXT NOT NULL,
  public_key TEXT NOT NULL, wrapped_key TEXT NOT NULL, report BLOB NOT NULL, day TEXT NOT NULL)`);
const insert = db.prepare('INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)');

interface Body {
  channel: string;
  lookupId: string;
  verifier: string;
  reporterPublicKey: string;
  wrappedReporterKey: string;
  report: string;
}

const app = express();
app.use(express.json({ limit: LIMITS.jsonBodyBytes, strict: true, inflate: false }));
type Row = Parameters<typeof insert.run>;
let queued: Array<{ row: Row; res: express.Response }> = [];
const insertAll = db.transaction((rows: readonly Row[]) => {
  for (const row of rows) insert.run(...row);
});
const commitQueued = () => {
  const group = queued;
  queued = [];
  insertAll(group.map((q) => q.row));
  for (const q of group) q.res.status(201).json({ ok: true });
};
app.post('/api/intake', (req, res) => {
  const b = req.body as Body;
  queued.push({
    res,
    row: [
      randomBytes(16).toString('base64url'), b.channel, b.lookupId, b.verifier,
      b.reporterPublicKey, b.wrappedReporterKey, Buffer.from(b.report, 'base64url'), new Date().toISOString().slice(0, 10),
    ],
  });
  if (queued.length === 1) setImmediate(commitQueued);
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
installProbe(server);
const stop = () => {
  server.closeAllConnections();
  server.close(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
// SIGINT too: Ctrl-C on `npm run bench` reaches the whole process group.
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
