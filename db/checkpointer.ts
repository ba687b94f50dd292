/**
 * The server's write-ahead log copied back into its database on a thread of
 * its own, never on the thread that answers requests.
 *
 * Left to SQLite's automatic checkpoint, the commit that takes the log past
 * WAL_CHECKPOINT_PAGES copies all of it back before it returns: the request
 * that made that commit, and every request behind it on the server's one
 * thread, waits. And while another connection holds a read transaction (an
 * operator's `ombud backup` holds one for minutes, db/backup.ts), nothing
 * can be copied back past it; the first commit after it lets go then copies
 * the whole log gathered meanwhile. With a reader held over 4,000 small
 * commits, that commit took 148–154 ms against 0.44 ms at the median; with
 * this thread the slowest of 6,000 took 8.2–8.7 ms (docs/performance.md,
 * "Twenty-third run"). A backup of a busy server gathers minutes of reports.
 *
 * `startCheckpointer` turns the automatic checkpoint off on the server's
 * connection and starts a worker thread with a connection of its own to
 * each file (the main file and the files' file, db/database.ts attachFiles).
 * Every `everyMs` it reads how far each log runs ahead of its copy-back
 * from the file's wal-index header (the `-shm` file, a format SQLite keeps
 * stable across versions: https://www.sqlite.org/walformat.html) and,
 * at `pages` frames or more, runs a PASSIVE checkpoint: it copies back
 * what no reader still needs and never waits for a lock. Durability does
 * not change: each commit is synced in the log as before, and the worker's
 * connections sync the log before and the database after each copy-back
 * (synchronous = FULL), as the server's own did.
 *
 * A checkpoint copies back the log as it was when it began; what is committed
 * meanwhile stays. The log starts over only at a commit that finds all of it
 * copied back, so under a steady stream of reports the log copied back beside
 * the stream would never start over and would grow without end (it did: to
 * 15,000 frames in a second in db/checkpointer.test.ts, and in the load bench
 * intake's CPU per report was 1,031 and 1,181 µs, against 861–1,028 µs).
 * So when its passes leave no more than `rest` frames, the worker asks the
 * server's thread to copy those back itself, between two requests: a small
 * copy that completes, after which the log starts over. It asks the same
 * when the log has grown past four times `pages` and its passes cannot get
 * below `rest` while still copying (commits as fast as the disk copies
 * back): that thread then copies what one pass left, which bounds the log.
 * It never asks after a pass that copied nothing (a reader holds the log
 * back), so the copy a reader held back is the worker's.
 *
 * If the worker fails, the server's connection gets its automatic checkpoint
 * back, so the log never grows without end.
 */
import { Worker } from 'node:worker_threads';
import { endianness } from 'node:os';
import { createRequire } from 'node:module';
import { FILES_SCHEMA, WAL_CHECKPOINT_PAGES, type Db } from './database.ts';

export interface Checkpointer {
  /** Ends the worker (and its connections); the server's connection keeps the automatic checkpoint off. Call before closing it. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Copy a log back once it runs this many frames ahead (default WAL_CHECKPOINT_PAGES). */
  pages?: number;
  /** How often the logs are looked at, in ms (default 250). */
  everyMs?: number;
  /** At most this many frames left by the worker's passes are copied back by the server's thread (default a tenth of `pages`). */
  rest?: number;
  /** Called once if the worker fails; the automatic checkpoint is back on by then. */
  onError?: (error: Error) => void;
}

const WORKER = `
const { workerData: w, parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const Database = require(w.sqlite);
const logs = w.paths.map((path) => {
  const db = new Database(path, { fileMustExist: true });
  db.pragma('synchronous = FULL');
  return { db, shm: path + '-shm', fd: undefined };
});
const header = Buffer.alloc(100);
const u32 = (at) => (w.littleEndian ? header.readUInt32LE(at) : header.readUInt32BE(at));
// The log's length in frames (the header's mxFrame, byte 16), how many of them the checkpoints have copied back
// (nBackfill, byte 96) and how many are not copied back yet, in the machine's byte order. Unreadable (no -shm
// yet): a pass is made, which costs nothing when there is nothing to copy.
const frames = (log) => {
  try {
    log.fd ??= openSync(log.shm, 'r');
    if (readSync(log.fd, header, 0, 100, 0) < 100) return undefined;
    return { length: u32(16), backfill: u32(96), ahead: u32(16) - u32(96) };
  } catch {
    return undefined;
  }
};
const pass = (log) => {
  log.db.pragma('wal_checkpoint(PASSIVE)');
  return frames(log);
};
try {
  while (Atomics.wait(w.stop, 0, 0, w.everyMs) === 'timed-out') {
    logs.forEach((log, i) => {
      const before = frames(log);
      if (before && before.ahead < w.pages) return;
      let now = pass(log);
      // Nothing copied back: a reader holds the log back (or it started over meanwhile).
      if (!before || !now || now.backfill <= before.backfill) return;
      let copied = true;
      // Again while a pass leaves more than the server's thread may copy and still gets somewhere.
      for (let left = now.ahead; now.ahead > w.rest; left = now.ahead) {
        const last = now;
        now = pass(log);
        if (!now) return;
        copied = now.backfill > last.backfill;
        if (!copied || now.ahead >= left) break;
      }
      if (now.ahead > 0 && (now.ahead <= w.rest || (copied && now.length >= 4 * w.pages))) parentPort.postMessage(i);
    });
  }
} finally {
  for (const log of logs) {
    log.db.close();
    if (log.fd !== undefined) closeSync(log.fd);
  }
}
`;

/** The files `db` has in WAL mode, by schema name and path: its main file, and its files' file when attached. */
function walFiles(db: Db): Array<{ name: string; file: string }> {
  if (db.memory) return [];
  return (db.pragma('database_list') as Array<{ name: string; file: string }>)
    .filter((d) => (d.name === 'main' || d.name === FILES_SCHEMA) && d.file !== '')
    .filter((d) => String(db.pragma(`${d.name}.journal_mode`, { simple: true })) === 'wal');
}

export function startCheckpointer(db: Db, options: CheckpointerOptions = {}): Checkpointer {
  const files = walFiles(db);
  if (files.length === 0) return { stop: async () => undefined };
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const pages = options.pages ?? WAL_CHECKPOINT_PAGES;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      paths: files.map((f) => f.file), stop: stopFlag, everyMs: options.everyMs ?? 250, pages, rest: options.rest ?? Math.ceil(pages / 10),
      littleEndian: endianness() === 'LE',
      // Found from here, not from the working directory, which is where an evaluated worker's require looks.
      sqlite: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  let failed = false;
  const end = () => {
    Atomics.store(stopFlag, 0, 1);
    Atomics.notify(stopFlag, 0);
  };
  // Any failure, of the thread or of this one's part: the automatic checkpoint is back, and the thread ends.
  const fail = (error: Error) => {
    if (stopping || failed) return;
    failed = true;
    end();
    if (db.open) db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    options.onError?.(error);
  };
  // The rest of a pass, on this thread: it completes, so the log starts over at the next commit.
  worker.on('message', (i: number) => {
    if (!db.open || stopping || failed) return;
    try {
      db.pragma(`${files[i]!.name}.wal_checkpoint(PASSIVE)`);
    } catch (error) {
      fail(error as Error);
    }
  });
  worker.on('error', fail);
  const exited = new Promise<void>((resolve) => worker.once('exit', (code) => {
    fail(new Error(`the checkpoint thread exited with ${code}`));
    resolve();
  }));
  // The worker must not keep a server that is otherwise done from exiting.
  worker.unref();
  return {
    async stop() {
      stopping = true;
      end();
      // Waited for, the thread keeps the process alive again: unreferenced, it let a server whose last
      // handle had closed exit here, before the work after stop() (closing the database, a bench's
      // removal of its folder) had run.
      worker.ref();
      await exited;
    },
  };
}
