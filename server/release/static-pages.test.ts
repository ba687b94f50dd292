/**
 * Pages are static: whatever the request says (query, language, cookies,
 * host, before or after first-run setup), a page address answers exactly the
 * bytes of a built file its manifest entry names — nothing is generated or
 * injected per request, so the manifest's hashes hold for every visitor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ENTRY_POINTS } from '../../common/release-manifest.ts';
import { makeClientFixture } from '../../scripts/release-fixture.ts';
import { createTestServer } from '../testing.ts';
import { sha256b64u } from './client-files.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-static-'));
  makeClientFixture(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VARIANTS: { query: string; headers: Record<string, string> }[] = [
  { query: '', headers: {} },
  { query: '?lang=zh-CN&x=%3Cscript%3Ealert(1)%3C/script%3E', headers: { 'Accept-Language': 'zh-CN', Cookie: 'ombud_session=abc; other=1' } },
  { query: '?nonce=1', headers: { Host: 'abc.onion', 'X-Forwarded-For': '10.0.0.1', Referer: 'https://evil.example/' } },
];

describe('static pages', () => {
  for (const setup of [false, true]) {
    it(`answer every page address with the bytes of a built file, whatever the request (${setup ? 'after' : 'before'} first-run setup)`, async () => {
      const t = await createTestServer({ config: { clientDir: dir, extraOrigins: ['http://abc.onion'], onionOrigin: 'http://abc.onion' }, team: setup ? undefined : false });
      for (const [address, files] of Object.entries(ENTRY_POINTS)) {
        const allowed = files.map((f) => sha256b64u(readFileSync(join(dir, f))));
        for (const { query, headers } of VARIANTS) {
          const res = await request(t.app).get(`${address.replace('{slug}', 'factory-a')}${query}`).set(headers).buffer(true).parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => cb(null, Buffer.concat(chunks)));
          });
          expect(res.status, address).toBe(200);
          expect(allowed, `${address}${query}`).toContain(sha256b64u(res.body as Buffer));
          expect(res.headers['set-cookie'], address).toBeUndefined();
        }
      }
      t.close();
    });
  }
});
