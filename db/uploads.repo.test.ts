import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import type { Db, Repositories } from './index.ts';
import { caseRecord, seedOrganisation } from './fixtures.ts';

let db: Db;
let repos: Repositories;
let org: ReturnType<typeof seedOrganisation>;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  org = seedOrganisation(repos);
});

const staged = (id: string, ticketId = 'ticket-a', purgeAfter = 10_000) => ({
  id, ticketId, keyIds: ['AABBCCDDEEFF0011'], size: 3, purgeAfter, body: new Uint8Array([0xc1, 2, 3]),
});
/** As the server stages an upload: its body committed first, then its row. */
const stage = ({ body, ...row }: ReturnType<typeof staged>) => {
  repos.uploads.putBody(row.id, body);
  repos.uploads.stage(row);
};
const bodies = (): string[] => db.prepare('SELECT id FROM files.bodies ORDER BY id').pluck().all() as string[];

describe('uploads', () => {
  it('charges each staged upload to its ticket and keeps key ids in lowercase', () => {
    stage(staged('up-1'));
    stage(staged('up-2'));
    expect(repos.uploads.usage('ticket-a')).toEqual({ uploads: 2, bytes: 6, spent: false });
    expect(repos.uploads.findStaged('up-1')).toEqual({ id: 'up-1', ticketId: 'ticket-a', keyIds: ['aabbccddeeff0011'], size: 3 });
  });

  it('moves a staged upload to its case under the same id, and spends a ticket once', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    stage(staged('up-1'));
    repos.transaction(() => {
      expect(repos.uploads.spendTicket('ticket-a', 10_000)).toBe(true);
      repos.uploads.attach('up-1', record.id);
    });
    expect(repos.uploads.findStaged('up-1')).toBeUndefined();
    expect(repos.uploads.listForCase(record.id)).toEqual([{ id: 'up-1', size: 3, messageId: null }]);
    expect(repos.uploads.body(record.id, 'up-1')).toEqual(new Uint8Array([0xc1, 2, 3]));
    expect(repos.uploads.body('another-case', 'up-1')).toBeUndefined();
    expect(repos.uploads.spendTicket('ticket-a', 10_000)).toBe(false);
  });

  it('undoes the move when the transaction fails', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    stage(staged('up-1'));
    expect(() =>
      repos.transaction(() => {
        repos.uploads.attach('up-1', record.id);
        throw new Error('refused later in the intake');
      }),
    ).toThrow();
    expect(repos.uploads.findStaged('up-1')).toBeDefined();
    expect(repos.uploads.listForCase(record.id)).toEqual([]);
  });

  it('deletes tickets and their staged uploads after their purge time only', () => {
    stage(staged('old', 'ticket-old', 1_000));
    stage(staged('new', 'ticket-new', 5_000));
    expect(repos.uploads.purgeStale(2_000)).toBe(1);
    expect(repos.uploads.findStaged('old')).toBeUndefined();
    expect(repos.uploads.findStaged('new')).toBeDefined();
    expect(repos.uploads.stagedCount()).toBe(1);
  });

  it('deletes the oldest stale tickets first, no more than asked, when given a limit', () => {
    stage(staged('a', 'ticket-a', 1_500));
    stage(staged('b', 'ticket-b', 1_000));
    stage(staged('c', 'ticket-c', 1_200));
    stage(staged('new', 'ticket-new', 5_000));
    expect(repos.uploads.purgeStale(2_000, 2)).toBe(2);
    expect(['a', 'b', 'c', 'new'].filter((id) => repos.uploads.findStaged(id))).toEqual(['a', 'new']);
    expect(repos.uploads.purgeStale(2_000, 2)).toBe(1);
    expect(repos.uploads.purgeStale(2_000, 2)).toBe(0);
    expect(repos.uploads.stagedCount()).toBe(1);
  });

  it('deletes the stale tickets of one holder only, when asked by pattern', () => {
    stage(staged('mine-old', 'team/c1/inv-a/x', 1_000));
    stage(staged('mine-new', 'team/c2/inv-a/y', 5_000));
    stage(staged('theirs-old', 'team/c1/inv-b/z', 1_000));
    stage(staged('reporter-old', 'ticket-r', 1_000));
    expect(repos.uploads.purgeStaleUnder('team/*/inv-a/*', 2_000)).toBe(1);
    expect(['mine-old', 'mine-new', 'theirs-old', 'reporter-old'].filter((id) => repos.uploads.findStaged(id)))
      .toEqual(['mine-new', 'theirs-old', 'reporter-old']);
  });

  it('deletes a case’s attachments with the case', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    stage(staged('up-1'));
    repos.uploads.attach('up-1', record.id);
    db.prepare('DELETE FROM cases WHERE id = ?').run(record.id);
    expect(repos.uploads.listForCase(record.id)).toEqual([]);
  });

  it('moves a staged upload to one message of a case, and lists it as that message’s', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    repos.messages.create({ id: 'msg-1', caseId: record.id, author: 'reporter', investigatorId: null, day: '2025-03-15', body: new Uint8Array([0xc1]) });
    stage(staged('up-1'));
    repos.uploads.attach('up-1', record.id, 'msg-1');
    expect(repos.uploads.listForCase(record.id)).toEqual([{ id: 'up-1', size: 3, messageId: 'msg-1' }]);
    expect(repos.uploads.body(record.id, 'up-1')).toEqual(new Uint8Array([0xc1, 2, 3]));
  });

  it('refuses to attach a file to a message that does not exist', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    stage(staged('up-1'));
    expect(() => repos.uploads.attach('up-1', record.id, 'no-such-message')).toThrow(/FOREIGN KEY/);
  });
});

describe('files beside the database (migration 026)', () => {
  it('keeps a moved body, and queues the bodies of deleted attachments and staged uploads until drained', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    stage(staged('kept'));
    stage(staged('stale', 'ticket-old', 1_000));
    repos.uploads.attach('kept', record.id);
    // The move is no deletion: nothing queued.
    expect(repos.uploads.deletionsQueued()).toBe(0);
    expect(repos.uploads.purgeStale(2_000)).toBe(1);
    repos.retention.deleteCase(record.id);
    expect(repos.uploads.deletionsQueued()).toBe(2);
    // Rows gone, bodies still there until the drain, which runs after the deleting commit.
    expect(bodies()).toEqual(['kept', 'stale']);
    expect(repos.uploads.drainDeletions(0, 1)).toEqual({ deleted: 2, paused: false });
    expect(bodies()).toEqual([]);
    expect(repos.uploads.deletionsQueued()).toBe(0);
  });

  it('refuses to store or drain bodies inside a transaction, where the order of the two commits would be lost', () => {
    expect(() => repos.transaction(() => repos.uploads.putBody('x', new Uint8Array([1])))).toThrow(/outside a transaction/);
    expect(() => repos.transaction(() => repos.uploads.drainDeletions(0))).toThrow(/outside a transaction/);
    expect(() => repos.transaction(() => repos.uploads.dropUnnamedBody('x'))).toThrow(/outside a transaction/);
    expect(bodies()).toEqual([]);
  });

  it('drops a body only when no row names it, and sweeps every unnamed one', () => {
    stage(staged('named'));
    repos.uploads.putBody('orphan-1', new Uint8Array([1]));
    repos.uploads.putBody('orphan-2', new Uint8Array([2]));
    repos.uploads.dropUnnamedBody('named');
    repos.uploads.dropUnnamedBody('orphan-1');
    expect(bodies()).toEqual(['named', 'orphan-2']);
    expect(repos.uploads.sweepUnnamed()).toBe(1);
    expect(bodies()).toEqual(['named']);
  });

  it('pauses the drain while a backup mark stands, and goes on once it is gone or stale', () => {
    stage(staged('gone', 'ticket-old', 1_000));
    repos.uploads.purgeStale(2_000);
    db.prepare('INSERT INTO backup_marks (id, until) VALUES (?, ?)').run('backup-1', 50_000);
    expect(repos.uploads.drainDeletions(10_000)).toEqual({ deleted: 0, paused: true });
    expect(bodies()).toEqual(['gone']);
    // A mark whose time has passed is a backup that died.
    expect(repos.uploads.drainDeletions(50_001)).toEqual({ deleted: 1, paused: false });
    expect(bodies()).toEqual([]);
  });

  it('a body stored for a row that is then refused is dropped, and the queue ignores ids deleted twice', () => {
    repos.uploads.putBody('refused', new Uint8Array([9]));
    expect(() => repos.transaction(() => {
      repos.uploads.stage({ id: 'refused', ticketId: 't', keyIds: [], size: 1, purgeAfter: 1 });
      throw new Error('over budget');
    })).toThrow(/over budget/);
    repos.uploads.dropUnnamedBody('refused');
    expect(bodies()).toEqual([]);
    stage(staged('twice', 'ticket-twice', 1_000));
    db.prepare(`INSERT INTO file_deletions (id) VALUES ('twice')`).run();
    expect(repos.uploads.purgeStale(2_000)).toBe(1);
    expect(repos.uploads.deletionsQueued()).toBe(1);
  });
});
