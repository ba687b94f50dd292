/**
 * Read-only looks into a running server's database file, for the security
 * tests only (the server itself reaches SQLite only through db/): row counts
 * of every table, and every stored value, column by column.
 */
import Database from 'better-sqlite3';
import { inspectDatabase } from '../../../db/backup.ts';
import { join } from 'node:path';
import { DB_FILE } from './seeded-server.ts';

function open(dataDir: string) {
  return new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
}

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name);
}

/** `{ table: rows }` for every table. */
export function rowCounts(dataDir: string): Record<string, number> {
  const db = open(dataDir);
  try {
    return Object.fromEntries(tables(db).map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** The actions of the audit trail, oldest first. */
export function auditActions(dataDir: string): string[] {
  const db = open(dataDir);
  try {
    const columns = (db.prepare("SELECT name FROM pragma_table_info('audit_events')").all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('action')) throw new Error('audit_events has no action column');
    return (db.prepare('SELECT action FROM audit_events ORDER BY rowid').all() as { action: string }[]).map((r) => r.action);
  } finally {
    db.close();
  }
}

export interface StoredValue {
  table: string;
  column: string;
  value: string | number | bigint | Buffer | null;
}

/** Every value of every column of every table. */
export function everyValue(dataDir: string): StoredValue[] {
  const db = open(dataDir);
  try {
    const out: StoredValue[] = [];
    for (const table of tables(db)) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).raw(false).all() as Record<string, StoredValue['value']>[]) {
        for (const [column, value] of Object.entries(row)) out.push({ table, column, value });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/** SQLite's integrity check of the database and of its files' file, and that every file named has its body (db/backup.ts). */
export function integrityCheck(dataDir: string): string {
  return inspectDatabase(join(dataDir, DB_FILE)).integrity;
}

/** Every row of one table, as objects. */
export function rowsOf(dataDir: string, table: string): Record<string, StoredValue['value']>[] {
  const db = open(dataDir);
  try {
    if (!tables(db).includes(table)) throw new Error(`no table ${table}`);
    return db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, StoredValue['value']>[];
  } finally {
    db.close();
  }
}
