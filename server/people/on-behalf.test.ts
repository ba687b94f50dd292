import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

describe('POST /api/team/on-behalf', () => {
  it('records in the audit trail who entered a report on a worker’s behalf, by its lookup id', async () => {
    const lead = await t.addInvestigator(t.team, { username: 'lead' });
    const client = await t.login(lead);
    const report = await t.submitReport();
    const res = await client.post('/api/team/on-behalf', { lookupId: report.credentials.lookupId }).expect(200);
    expect(res.body).toEqual({ caseId: report.caseId });
    const entries = t.repos.audit.list().filter((e) => e.action === 'case.entered_on_behalf');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'investigator', investigatorId: lead.id, caseId: report.caseId });
    expect(JSON.stringify(entries[0]!.detail)).not.toContain(report.credentials.lookupId);
  });

  it('answers a case of another team like one that does not exist, and records nothing', async () => {
    const other = await t.addTeam({ name: 'Other team' });
    const stranger = await t.login(await t.addInvestigator(other, { username: 'stranger' }));
    const report = await t.submitReport();
    const res = await stranger.post('/api/team/on-behalf', { lookupId: report.credentials.lookupId }).expect(404);
    expect(res.body.error).toBe('case_not_found');
    await stranger.post('/api/team/on-behalf', { lookupId: 'A'.repeat(43) }).expect(404);
    expect(t.repos.audit.list().filter((e) => e.action === 'case.entered_on_behalf')).toEqual([]);
  });

  it('needs a signed-in investigator', async () => {
    const report = await t.submitReport();
    const { default: request } = await import('supertest');
    await request(t.app).post('/api/team/on-behalf').set('Content-Type', 'application/json').send({ lookupId: report.credentials.lookupId }).expect(401);
  });
});
