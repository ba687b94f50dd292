import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestServer, type TestServer } from './testing.ts';
import { parseConfig } from './config.ts';

let t: TestServer | undefined;
afterEach(() => t?.close());
const TOKEN = 'm'.repeat(16) + '0123456789abcdef';

describe('GET /api/metrics', () => {
  it('is off (404) without OMBUD_METRICS_TOKEN', async () => {
    t = await createTestServer();
    await request(t.app).get('/api/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
  });

  it('wants the bearer token, and then gives counts only', async () => {
    t = await createTestServer({ config: { metricsToken: TOKEN } });
    expect((await request(t.app).get('/api/metrics').expect(401)).body.error).toBe('not_authenticated');
    await request(t.app).get('/api/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
    const report = await t.submitReport();
    await t.submitReport();
    const res = await request(t.app).get('/api/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/);
    expect(res.headers['cache-control']).toMatch(/no-store/);
    const samples = res.text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(samples).toEqual(expect.arrayContaining([
      'ombud_cases{stage="received"} 2', 'ombud_cases{stage="closed"} 0', 'ombud_teams 1', 'ombud_investigators 1',
      'ombud_channels 1', 'ombud_uploads_staged 0', 'ombud_sessions 0', `ombud_schema_version ${t.db.pragma('user_version', { simple: true })}`,
    ]));
    // Nothing that names a case or a day.
    expect(res.text).not.toContain(report.caseId);
    expect(res.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const line of samples) expect(line).toMatch(/^ombud_[a-z_]+(\{[^}]*\})? \d+$/);
  });

  it('refuses a short token in the configuration', () => {
    expect(() => parseConfig({ OMBUD_METRICS_TOKEN: 'short' })).toThrow(/OMBUD_METRICS_TOKEN/);
  });
});
