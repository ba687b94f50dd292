/**
 * Is this database's schema exactly the one our migrations make? A restore
 * asks before it reports success: a backup that passes its
 * checksum — or even its MAC, if the passphrase leaked — may still carry an
 * extra trigger that silently drops a reporter's follow-up, a view, a changed
 * column, or miss a table. The schema is read from sqlite_master (every
 * table, column, index, trigger and view is there as the SQL that made it),
 * normalized, and compared with a fresh in-memory database migrated to the
 * same version by this build's migrations.
 */
import Database from 'better-sqlite3';
import { attachFiles, FILES_SCHEMA, migrate, schemaVersion, type Migration } from './database.ts';

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** One line per schema object: `type name on table: normalized SQL`. SQLite's statistics tables are left out (ANALYZE). */
export function schemaEntries(db: Database.Database): Map<string, string> {
  const rows = db.prepare<[], MasterRow>(
    `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name`,
  ).all();
  return new Map(rows.map((r) => [`${r.type} ${r.name}`, `${r.tbl_name}: ${(r.sql ?? '').replace(/\s+/g, ' ').trim()}`]));
}

export type SchemaComparison = { ok: true; version: number } | { ok: false; version: number; differences: string[] };

/**
 * Compares the schema of the database at `path` (opened read-only: nothing of
 * it runs, nothing is written) with `migrations` applied to an empty one up to
 * the file's own `user_version`. Differences name the object and what is off.
 */
export function compareSchemaWithMigrations(path: string, migrations: readonly Migration[]): SchemaComparison {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const version = schemaVersion(db);
    if (!migrations.some((m) => m.version === version)) {
      return { ok: false, version, differences: [`schema version ${version} is not one this Ombud knows`] };
    }
    const fresh = new Database(':memory:');
    try {
      migrate(fresh, migrations.filter((m) => m.version <= version));
      const want = schemaEntries(fresh);
      const have = schemaEntries(db);
      const differences: string[] = [];
      for (const [key, sql] of want) {
        if (!have.has(key)) differences.push(`missing ${key}`);
        else if (have.get(key) !== sql) differences.push(`changed ${key}`);
      }
      for (const key of have.keys()) if (!want.has(key)) differences.push(`unexpected ${key}`);
      return differences.length === 0 ? { ok: true, version } : { ok: false, version, differences };
    } finally {
      fresh.close();
    }
  } finally {
    db.close();
  }
}

/** Rows that point at rows that do not exist (PRAGMA foreign_key_check), as `table` names; [] when consistent. */
export function foreignKeyProblems(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('foreign_key_check') as Array<{ table: string }>;
    return [...new Set(rows.map((r) => r.table))];
  } finally {
    db.close();
  }
}

/**
 * The files' file of a backup must hold exactly what db/database.ts attachFiles makes: one table of bodies (a
 * trigger there could drop a body as it is written). Read-only: nothing of it runs. Differences, or [] when it is.
 */
export function compareFilesSchema(path: string): string[] {
  const entries = (db: Database.Database, schema: string) => new Map(
    db.prepare<[], { type: string; name: string; tbl_name: string; sql: string | null }>(
      `SELECT type, name, tbl_name, sql FROM ${schema}.sqlite_master ORDER BY type, name`,
    ).all().map((r) => [`${r.type} ${r.name}`, `${r.tbl_name}: ${(r.sql ?? '').replace(/\s+/g, ' ').trim()}`]),
  );
  const fresh = new Database(':memory:');
  const have = new Database(path, { readonly: true, fileMustExist: true });
  try {
    attachFiles(fresh, ':memory:');
    const want = entries(fresh, FILES_SCHEMA);
    const found = entries(have, 'main');
    const differences: string[] = [];
    for (const [key, sql] of want) {
      if (!found.has(key)) differences.push(`missing ${key}`);
      else if (found.get(key) !== sql) differences.push(`changed ${key}`);
    }
    for (const key of found.keys()) if (!want.has(key)) differences.push(`unexpected ${key}`);
    return differences;
  } finally {
    have.close();
    fresh.close();
  }
}

/**
 * Opens and closes the database at `path` read-write once: read-only connections leave an empty -wal and -shm
 * beside a WAL database, which the last read-write connection to close removes.
 */
export function closeLastConnection(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } finally {
    db.close();
  }
}
