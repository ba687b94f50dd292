import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPrompts } from './prompts.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-prompts-'));
  dirs.push(dir);
  return dir;
}

/** A fake synthesizer that counts its calls and makes bytes from voice and text. */
function fake() {
  const calls: string[] = [];
  return {
    calls,
    synthesize: async (voice: string, text: string) => {
      calls.push(`${voice}:${text}`);
      return Buffer.from(`OggS ${voice} ${text}`);
    },
  };
}

const catalogs = { en: { 'a.b': 'Hello', 'a.c': 'Received on {date}.' }, th: { 'a.b': 'สวัสดี' }, xx: { 'a.b': 'no voice' } };

describe('recording the prompts at build time', () => {
  it('records each text once, then finds every clip in the cache on the next build', async () => {
    const cache = cacheDir();
    const first = fake();
    const one = await buildPrompts({ catalogs, cacheDir: cache, synthesize: first.synthesize, toolVersion: 'v1' });
    expect(one.synthesized).toBe(first.calls.length);
    expect(first.calls).toContain('en-us:Hello');
    expect(first.calls).toContain('en-us:Received on');
    const second = fake();
    const two = await buildPrompts({ catalogs, cacheDir: cache, synthesize: second.synthesize, toolVersion: 'v1' });
    expect(second.calls).toEqual([]);
    expect(two.synthesized).toBe(0);
    expect(two.files).toEqual(one.files);
    expect(two.manifests).toEqual(one.manifests);
  });

  it('records a changed text again, and everything again with another synthesizer version', async () => {
    const cache = cacheDir();
    await buildPrompts({ catalogs, cacheDir: cache, synthesize: fake().synthesize, toolVersion: 'v1' });
    const changed = fake();
    await buildPrompts({ catalogs: { ...catalogs, en: { ...catalogs.en, 'a.b': 'Hello there' } }, cacheDir: cache, synthesize: changed.synthesize, toolVersion: 'v1' });
    expect(changed.calls).toEqual(['en-us:Hello there']);
    const upgraded = fake();
    const all = await buildPrompts({ catalogs, cacheDir: cache, synthesize: upgraded.synthesize, toolVersion: 'v2' });
    expect(upgraded.calls.length).toBe(all.files.length);
  });

  it('gives a language with only digits its ten digits, and a language without a voice nothing', async () => {
    const built = await buildPrompts({ catalogs, cacheDir: cacheDir(), synthesize: fake().synthesize, toolVersion: 'v1' });
    expect(Object.keys(built.manifests).sort()).toEqual(['en', 'th']);
    expect(Object.keys(built.manifests.th!.clips).sort()).toEqual(Array.from({ length: 10 }, (_, d) => `digit.${d}`));
    expect(built.manifests.en!.clips['date.month.March']).toMatch(/^\/assets\/prompts\/en\/[0-9a-f]{24}\.opus$/);
  });

  it('never reads half a clip: a cache file is written beside and renamed', async () => {
    const cache = cacheDir();
    writeFileSync(join(cache, 'junk.part'), 'x');
    await buildPrompts({ catalogs, cacheDir: cache, synthesize: fake().synthesize, toolVersion: 'v1' });
    expect(readdirSync(cache).filter((f) => f.endsWith('.part') && f !== 'junk.part')).toEqual([]);
  });

  it('makes the same bytes twice with the real espeak-ng and opusenc (the ten digits of a digits-only language)', async () => {
    const a = await buildPrompts({ catalogs: { th: { 'a.b': 'ฟัง' } }, cacheDir: cacheDir(), concurrency: 1 });
    const b = await buildPrompts({ catalogs: { th: { 'a.b': 'ฟัง' } }, cacheDir: cacheDir(), concurrency: 1 });
    expect(a.synthesized).toBeGreaterThan(0);
    expect(b.files).toEqual(a.files);
    const clip = a.files.find((f) => f.fileName.endsWith('.opus'))!.bytes;
    expect(clip.subarray(0, 4).toString('latin1')).toBe('OggS');
    expect(clip.includes(Buffer.from('OpusHead'))).toBe(true);
  }, 120_000);
});
