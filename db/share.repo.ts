/**
 * Every ciphertext of a team's cases, for re-wrapping its session key to a
 * newcomer (server/people/share.ts): reports, risk rationales, thread
 * messages, attachments (the report's and the messages'), internal notes, and
 * the team's sealed inbox index key. Read in pages, kind by kind, in id order;
 * only the first bytes of each ciphertext are read for listing (the key
 * packets sit there), the whole of it only to splice one packet in.
 *
 * Cases that the member or the one sharing is excluded from are left out.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';
import { toBlob, toBytes } from './columns.ts';
import { FILES_SCHEMA } from './database.ts';
import { caseInTeam } from './case-teams.ts';

export const SHARE_KINDS = ['index_key', 'report', 'risk', 'message', 'attachment', 'note'] as const;
export type ShareKind = (typeof SHARE_KINDS)[number];

export interface ShareHead {
  kind: ShareKind;
  id: string;
  /** The first HEAD_BYTES of the ciphertext. */
  head: Uint8Array;
}

/** Enough for 64 recipients' PKESK packets (about 100 bytes each for Curve25519). */
export const HEAD_BYTES = 16_384;

/**
 * Per kind: the rows (`t`, joined to the files' file for attachments, whose ciphertext lies there), the
 * ciphertext, how a row reaches its case, and the table and column a new ciphertext is written to.
 */
const SOURCES: Record<Exclude<ShareKind, 'index_key'>, {
  from: string; body: string; caseId: string; receivedDay?: string; store: { table: string; column: string };
}> = {
  report: { from: 'cases t', body: 't.report', caseId: 'id', receivedDay: 't.received_day', store: { table: 'cases', column: 'report' } },
  risk: { from: 'cases t', body: 't.risk_rationale', caseId: 'id', receivedDay: 't.received_day', store: { table: 'cases', column: 'risk_rationale' } },
  message: { from: 'messages t', body: 't.body', caseId: 'case_id', store: { table: 'messages', column: 'body' } },
  attachment: {
    from: `attachments t JOIN ${FILES_SCHEMA}.bodies b ON b.id = t.id`, body: 'b.body', caseId: 'case_id',
    store: { table: `${FILES_SCHEMA}.bodies`, column: 'body' },
  },
  note: { from: 'case_notes t', body: 't.body', caseId: 'case_id', store: { table: 'case_notes', column: 'body' } },
};

/** Parameters, in order: teamId, memberId, actorId. */
const visible = (caseId: string, receivedDay?: string) => `${caseInTeam(caseId, receivedDay)}
  AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = ${caseId} AND x.investigator_id IN (?, ?))`;

export function createShareRepo(db: Db) {
  const statements = Object.fromEntries(
    // Table and column names come from the constant above, never from input.
    Object.entries(SOURCES).map(([kind, s]) => {
      const where = `${visible(`t.${s.caseId}`, s.receivedDay)} AND ${s.body} IS NOT NULL`;
      return [kind, {
        page: db.prepare(
          `SELECT t.id AS id, substr(${s.body}, 1, ${HEAD_BYTES}) AS head FROM ${s.from}
           WHERE ${where} AND t.id > ? ORDER BY t.id LIMIT ?`,
        ),
        count: db.prepare(`SELECT COUNT(*) AS n FROM ${s.from} WHERE ${where}`),
        body: db.prepare(`SELECT ${s.body} AS body FROM ${s.from} WHERE ${where} AND t.id = ?`),
        update: db.prepare(`UPDATE ${s.store.table} SET ${s.store.column} = ? WHERE id = ?`),
      }];
    }),
  ) as Record<Exclude<ShareKind, 'index_key'>, Record<'page' | 'count' | 'body' | 'update', Statement>>;
  const indexKey = db.prepare<[string], { sealed: Buffer }>(`SELECT sealed FROM team_index_keys WHERE team_id = ?`);
  const updateIndexKey = db.prepare(`UPDATE team_index_keys SET sealed = ? WHERE team_id = ?`);

  return {
    /** Up to `limit` ciphertexts of `kind` with an id after `afterId`, in id order. */
    page(kind: ShareKind, scope: ShareScope, afterId: string, limit: number): ShareHead[] {
      if (kind === 'index_key') {
        const row = afterId === '' ? indexKey.get(scope.teamId) : undefined;
        return row ? [{ kind, id: scope.teamId, head: toBytes(row.sealed).subarray(0, HEAD_BYTES) }] : [];
      }
      const rows = statements[kind].page.all(scope.teamId, scope.memberId, scope.actorId, afterId, limit) as { id: string; head: Buffer }[];
      return rows.map((r) => ({ kind, id: r.id, head: toBytes(r.head) }));
    },
    /** How many ciphertexts there are in all (no ciphertext is read). */
    count(scope: ShareScope): number {
      let n = indexKey.get(scope.teamId) ? 1 : 0;
      for (const kind of Object.keys(SOURCES) as (keyof typeof SOURCES)[]) {
        n += (statements[kind].count.get(scope.teamId, scope.memberId, scope.actorId) as { n: number }).n;
      }
      return n;
    },
    /** The whole ciphertext, or undefined when it is not one of the scope's. */
    body(kind: ShareKind, scope: ShareScope, id: string): Uint8Array | undefined {
      if (kind === 'index_key') {
        const row = id === scope.teamId ? indexKey.get(id) : undefined;
        return row && toBytes(row.sealed);
      }
      const row = statements[kind].body.get(scope.teamId, scope.memberId, scope.actorId, id) as { body: Buffer } | undefined;
      return row && toBytes(row.body);
    },
    /**
     * Replaces a ciphertext (the same one with one more key packet). An attachment's is in the files' file, which
     * commits apart from the main file: after a crash in between, either its key packet or the audit event of the
     * sharing may be missing. Sharing again adds what is missing (an item the member reads already is skipped).
     */
    replace(kind: ShareKind, id: string, ciphertext: Uint8Array): void {
      if (kind === 'index_key') updateIndexKey.run(toBlob(ciphertext), id);
      else statements[kind].update.run(toBlob(ciphertext), id);
    },
  };
}

export interface ShareScope {
  teamId: string;
  /** The one who gets access. */
  memberId: string;
  /** The one who gives it (their exclusions count too). */
  actorId: string;
}

export type ShareRepo = ReturnType<typeof createShareRepo>;
