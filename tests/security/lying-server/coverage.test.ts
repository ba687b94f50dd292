/**
 * The harness leaves no flow out (a test that leaves one flow out must
 * fail): every flow in flows.ts, and each lie it lists, has a
 * `lyingTest('<flow>', '<lie>', …)` in this folder; every such call names a
 * registered flow and lie; and every client file that encrypts, re-wraps,
 * certifies, seals or derives a key belongs to a flow — so a new encrypting
 * page without a harness entry fails here, naming the file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOWS, LIE_IDS, SENSITIVE_CALL, type Flow } from './flows.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const HERE = import.meta.dirname;
const flows: readonly Flow[] = FLOWS;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** `lyingTest('flow', 'lie'` calls in this folder's test files, as "flow lie". */
function exercised(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of readdirSync(HERE).filter((name) => name.endsWith('.test.ts') && name !== 'coverage.test.ts')) {
    const text = readFileSync(join(HERE, file), 'utf8');
    for (const match of text.matchAll(/lyingTest\(\s*'([^']+)'\s*,\s*'([^']+)'/g)) {
      const key = `${match[1]} ${match[2]}`;
      found.set(key, [...(found.get(key) ?? []), file]);
    }
  }
  return found;
}

describe('the lying-server harness covers every flow', () => {
  it('has at least one harness test for every flow, and for each lie a flow lists', () => {
    const tests = exercised();
    const missing = flows.flatMap((flow) => {
      const lies = Object.keys(flow.lies);
      if (lies.length === 0) return [`${flow.id}: lists no lie`];
      return lies.filter((lie) => !tests.has(`${flow.id} ${lie}`)).map((lie) => `${flow.id} — ${lie}`);
    });
    expect(missing, 'flows or lies no harness test exercises').toEqual([]);
  });

  it('names only registered flows and lies in its tests', () => {
    const known = new Set(flows.flatMap((flow) => Object.keys(flow.lies).map((lie) => `${flow.id} ${lie}`)));
    const stray = [...exercised().keys()].filter((key) => !known.has(key));
    expect(stray).toEqual([]);
    expect(new Set(flows.map((f) => f.id)).size).toBe(flows.length);
    for (const flow of flows) for (const lie of Object.keys(flow.lies)) expect(LIE_IDS).toContain(lie);
  });

  it('maps every client file that encrypts, re-wraps, certifies, seals or derives a key to a flow', () => {
    const sensitive = filesUnder(join(ROOT, 'client'))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .filter((file) => SENSITIVE_CALL.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    // The lazy loader only re-exports crypto/ (it calls nothing); everything else is a flow.
    const listed = new Set(flows.flatMap((flow) => flow.sources));
    expect(sensitive.length, 'the scan found the encrypting pages').toBeGreaterThan(10);
    expect(sensitive.filter((file) => !listed.has(file)), 'client files with encrypting calls and no flow in flows.ts').toEqual([]);
  });

  it('names client files that exist', () => {
    const gone = [...new Set(flows.flatMap((flow) => flow.sources))].filter((file) => !existsSync(join(ROOT, file)));
    expect(gone, 'flows.ts names files that moved or were removed').toEqual([]);
  });
});
