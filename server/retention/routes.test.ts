import { afterEach, describe, expect, it } from 'vitest';
import { RETENTION_DAYS } from '../../common/limits.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { createTestServer, type TestServer } from '../testing.ts';

let t: TestServer | undefined;
afterEach(() => t?.close());

describe('retention routes', () => {
  it('keeps closed cases 730 days by default; an administrator changes it within bounds, audited', async () => {
    t = await createTestServer();
    const admin = await t.login(t.team.admin);
    expect((await admin.get('/api/team/retention').expect(200)).body).toEqual({ retentionDays: RETENTION_DAYS.default });
    await admin.agent.put('/api/team/retention').set('Content-Type', 'application/json')
      .set(CSRF_HEADER, admin.session.csrfToken).send({ retentionDays: 365 }).expect(200, { retentionDays: 365 });
    for (const bad of [RETENTION_DAYS.min - 1, RETENTION_DAYS.max + 1, 100.5, '365']) {
      const res = await admin.agent.put('/api/team/retention').set('Content-Type', 'application/json')
        .set(CSRF_HEADER, admin.session.csrfToken).send({ retentionDays: bad }).expect(400);
      expect(res.body.error).toBe('invalid_request');
    }
    expect(t.repos.retention.retentionDays(t.team.id)).toBe(365);
    expect(t.repos.audit.list().at(-1)).toMatchObject({ action: 'team.retention_changed', detail: { days: 365 } });
  });

  it('refuses a retention change or a hold from an investigator who is not an administrator', async () => {
    t = await createTestServer();
    const { caseId } = await t.submitReport();
    const colleague = await t.login(await t.addInvestigator(t.team));
    await colleague.agent.put('/api/team/retention').set('Content-Type', 'application/json')
      .set(CSRF_HEADER, colleague.session.csrfToken).send({ retentionDays: 60 }).expect(403);
    const res = await colleague.post(`/api/cases/${caseId}/legal-hold`, { reason: 'court order' }).expect(403);
    expect(res.body.error).toBe('admin_only');
    expect(t.repos.retention.holdOf(caseId)).toBeUndefined();
  });

  it('sets and lifts a legal hold with a reason, shows it, and audits both without the reason', async () => {
    t = await createTestServer();
    const { caseId } = await t.submitReport();
    const admin = await t.login(t.team.admin);
    const before = (await admin.get(`/api/cases/${caseId}/retention`).expect(200)).body;
    expect(before).toEqual({ legalHold: null, keepDays: 730, purgeFromDay: null });

    const held = (await admin.post(`/api/cases/${caseId}/legal-hold`, { reason: '  Court order 2025/114  ' }).expect(200)).body;
    expect(held.legalHold).toEqual({ reason: 'Court order 2025/114', setDay: '2025-03-14', setByName: t.team.admin.displayName });
    expect((await admin.get('/api/team/legal-holds').expect(200)).body).toEqual({ caseIds: [caseId] });
    expect(t.repos.audit.list().at(-1)).toMatchObject({ action: 'case.legal_hold_set', caseId, detail: { replaced: false } });
    expect(JSON.stringify(t.repos.audit.list())).not.toContain('Court order');

    await admin.post(`/api/cases/${caseId}/legal-hold/lift`).expect(200, { legalHold: null, keepDays: 730, purgeFromDay: null });
    expect(t.repos.audit.list().at(-1)).toMatchObject({ action: 'case.legal_hold_lifted', caseId });
    const again = await admin.post(`/api/cases/${caseId}/legal-hold/lift`).expect(409);
    expect(again.body.error).toBe('no_legal_hold');
  });

  it('refuses an empty or multi-line reason, and a hold on another team’s case', async () => {
    t = await createTestServer();
    const { caseId } = await t.submitReport();
    const admin = await t.login(t.team.admin);
    for (const reason of ['', '  ', 'line one\nline two', 'x'.repeat(501)]) {
      await admin.post(`/api/cases/${caseId}/legal-hold`, { reason }).expect(400);
    }
    const other = await t.addTeam({ name: 'Supplier committee', runsDeployment: false });
    const otherAdmin = await t.login(other.admin);
    const res = await otherAdmin.post(`/api/cases/${caseId}/legal-hold`, { reason: 'court order' }).expect(404);
    expect(res.body.error).toBe('case_not_found');
    expect(t.repos.retention.holdOf(caseId)).toBeUndefined();
  });

  it('says from which day a closed case is deleted: the longest retention of its teams', async () => {
    t = await createTestServer();
    const { caseId } = await t.submitReport();
    const admin = await t.login(t.team.admin);
    const day = '2025-03-14';
    const common = { caseId, day, reason: 'done', investigatorId: t.team.admin.id, acknowledgedDay: day };
    t.repos.cases.changeStage({ ...common, from: 'received', to: 'acknowledged', closedDay: null });
    t.repos.cases.changeStage({ ...common, from: 'acknowledged', to: 'closed', closedDay: day, outcome: 'withdrawn' });
    t.repos.retention.setRetentionDays(t.team.id, 30);
    expect((await admin.get(`/api/cases/${caseId}/retention`).expect(200)).body)
      .toEqual({ legalHold: null, keepDays: 30, purgeFromDay: '2025-04-13' });
  });
});
