import { describe, expect, it } from 'vitest';
import { listenTestServer } from './testing.ts';

describe('listenTestServer', () => {
  it('serves on a free port and accepts POSTs from its own origin only', async () => {
    const t = await listenTestServer();
    try {
      expect(t.config.publicUrl).toBe(t.url);
      const ok = await fetch(`${t.url}/api/pow`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Origin: t.url }, body: '{}',
      });
      expect(ok.status).toBe(200);
      const cross = await fetch(`${t.url}/api/pow`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:1' }, body: '{}',
      });
      expect(cross.status).toBe(403);
      expect(t.team.channelSlug).toMatch(/^factory-/);
    } finally {
      await t.stop();
    }
  });
});
