import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { createAuditRepo, type AuditRepo } from './audit.repo.ts';

const TODAY = '2025-03-17';

/** A trail with one timed event and the same pending reporter events: three earlier days and today. */
function trail(): AuditRepo {
  const audit = createAuditRepo(openDatabase(':memory:'));
  audit.append({ day: '2025-03-16', at: 1_742_100_000_000, actor: 'investigator', investigatorId: 'inv-1', caseId: null, action: 'auth.login', detail: {} });
  for (let i = 0; i < 30; i++) {
    audit.appendPending({
      day: ['2025-03-14', '2025-03-15', '2025-03-16', TODAY][i % 4]!,
      caseId: `case-${(i * 7) % 11}`,
      action: i % 3 === 0 ? 'case.received' : 'case.reporter_wrote',
      detail: i % 5 === 0 ? { files: i } : {},
    });
  }
  return audit;
}

/** The chain without what differs between two databases (hashes, and so nothing else). */
const chain = (audit: AuditRepo) => audit.list().map(({ seq, day, actor, caseId, action, detail }) => ({ seq, day, actor, caseId, action, detail }));

function sealInSteps(audit: AuditRepo, queueChunk: number, sealChunk: number): number {
  for (let after: string | undefined = ''; after !== undefined;) after = audit.queuePending(TODAY, after, queueChunk);
  let sealed = 0;
  for (;;) {
    const step = audit.sealQueued(sealChunk);
    sealed += step.sealed;
    if (step.looked < sealChunk) return sealed;
  }
}

describe('sealing reporter events in steps', () => {
  it('appends the same events in the same canonical order as the batch in one go, today\'s left pending', () => {
    const once = trail();
    const sealedOnce = once.sealPending(TODAY);
    for (const [queueChunk, sealChunk] of [[1, 1], [4, 3], [7, 100], [100, 5]] as const) {
      const stepped = trail();
      expect(sealInSteps(stepped, queueChunk, sealChunk), `${queueChunk}, ${sealChunk}`).toBe(sealedOnce);
      expect(chain(stepped)).toEqual(chain(once));
      expect(stepped.verify()).toEqual({ ok: true, count: 1 + sealedOnce });
      expect(stepped.pendingFor({ investigatorId: 'inv-1', teamId: null }).map((e) => e.day)).toEqual(Array(7).fill(TODAY));
    }
    expect(sealedOnce).toBe(23); // 30 events, 7 of them today
  });

  it('never appends an event twice when it was sealed between queueing and sealing', () => {
    const audit = trail();
    expect(audit.queuePending(TODAY, '', 100)).toBeDefined();
    expect(audit.sealQueued(5).sealed).toBe(5);
    expect(audit.sealPending(TODAY)).toBe(18); // e.g. the operator's purge, in the meantime
    expect(audit.sealQueued(100)).toEqual({ looked: 18, sealed: 0 });
    expect(audit.sealQueued(100)).toEqual({ looked: 0, sealed: 0 });
    expect(audit.list()).toHaveLength(1 + 23);
    expect(audit.verify().ok).toBe(true);
  });
});
