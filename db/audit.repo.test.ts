import { beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { openDatabase } from './database.ts';
import type { Db } from './database.ts';
import { canonicalJson, createAuditRepo, GENESIS_HASH } from './audit.repo.ts';
import type { AuditRepo, NewAuditEvent } from './audit.repo.ts';

let db: Db;
let audit: AuditRepo;
const event = (action: string, detail = {}): NewAuditEvent => ({
  day: '2025-03-14', at: 1_741_950_000_000, actor: 'investigator', investigatorId: 'inv-1', caseId: null, action, detail,
});

beforeEach(() => {
  db = openDatabase(':memory:');
  audit = createAuditRepo(db);
  audit.append(event('auth.login'));
  audit.append({ ...event('case.received'), actor: 'reporter', at: null, investigatorId: null, caseId: 'case-1' });
  audit.append(event('case.stage_changed', { from: 'received', to: 'acknowledged' }));
});

describe('audit trail', () => {
  it('chains each event to the one before', () => {
    const events = audit.list();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(audit.verify()).toEqual({ ok: true, count: 3 });
  });

  it('detects a tampered row', () => {
    db.prepare(`UPDATE audit_events SET detail = ? WHERE seq = 3`).run('{"from":"received","to":"closed"}');
    expect(audit.verify()).toEqual({ ok: false, brokenAt: 3 });
  });

  it('detects a removed row', () => {
    db.prepare(`DELETE FROM audit_events WHERE seq = 2`).run();
    expect(audit.verify()).toEqual({ ok: false, brokenAt: 3 });
  });

  it('detects a row rewritten with a recomputed hash of its own', () => {
    const [first] = audit.list();
    if (!first) throw new Error('no event');
    const { seq, prevHash, hash: _old, ...rest } = first;
    const forged = { ...rest, day: '2025-01-01' };
    const hash = createHash('sha256').update(prevHash).update(canonicalJson({ seq, ...forged })).digest('hex');
    db.prepare(`UPDATE audit_events SET day = ?, hash = ? WHERE seq = 1`).run(forged.day, hash);
    expect(audit.verify()).toEqual({ ok: false, brokenAt: 2 });
  });

  it('refuses a reporter event with an exact time', () => {
    expect(() => audit.append({ ...event('case.received'), actor: 'reporter' })).toThrow(/day only/);
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });
});
