/**
 * The operator's snapshot (db/backup.ts, what `ombud backup` runs) in a
 * process of its own, as in production: `tsx bench/backup-child.ts <db> <dest>`.
 */
import { snapshotDatabase } from '../db/backup.ts';

const [source, dest] = process.argv.slice(2);
if (!source || !dest) throw new Error('usage: backup-child.ts <source.db> <dest.db>');
await snapshotDatabase(source, dest);
