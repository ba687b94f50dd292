/**
 * What ships: every runtime dependency is justified in the README, the
 * lockfile is committed and matches package.json, and `npm audit` of the
 * runtime tree reports nothing high or critical.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** Package names in the first column of the README's "Runtime dependencies" table. */
function readmeRuntimeTable(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Runtime dependencies'));
  if (!section) throw new Error('README.md has no "## Runtime dependencies" section');
  return [...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => {
    expect(m[2]!.trim().length, `the reason given for ${m[1]}`).toBeGreaterThan(10);
    return m[1]!;
  });
}

describe('runtime dependencies', () => {
  it('are each listed with a reason in the README, and nothing else is', () => {
    expect(readmeRuntimeTable().sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });

  it('are few', () => {
    // A new runtime dependency is a new party to trust with reports: raise this bound deliberately.
    expect(Object.keys(pkg.dependencies).length).toBeLessThanOrEqual(10);
  });

  it('come from a committed lockfile that matches package.json', () => {
    expect(execFileSync('git', ['ls-files', 'package-lock.json'], { encoding: 'utf8' }).trim()).toBe('package-lock.json');
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }> };
    expect(lock.packages['']!.dependencies).toEqual(pkg.dependencies);
    expect(lock.packages['']!.devDependencies).toEqual(pkg.devDependencies);
    for (const name of Object.keys(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`], name).toBeDefined();
  });

  it('have no known high or critical vulnerability (npm audit --omit=dev)', (ctx) => {
    const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', timeout: 90_000 });
    let report: { metadata?: { vulnerabilities?: Record<string, number> }; error?: { code?: string; summary?: string }; message?: string; vulnerabilities?: Record<string, { severity: string; via: unknown[] }> };
    try {
      report = JSON.parse(run.stdout || '{}') as typeof report;
    } catch {
      throw new Error(`npm audit printed no JSON:\n${run.stdout}\n${run.stderr}`);
    }
    if (!report.metadata) {
      // The advisory endpoint could not be asked. On this project's machines and its CI the registry answers
      // only GET and HEAD (405 on npm's advisory POST), so the check cannot run there: the test says so
      // loudly and is skipped, rather than pretending to have checked or failing every CI run for the network.
      // Anywhere the advisory database answers, a high or critical finding fails below.
      const why = `npm audit could not reach the advisory database: ${report.error?.summary || report.message || run.stderr.trim().split('\n').at(-1)}`;
      console.warn(`SKIPPED: ${why}`);
      ctx.skip();
      return;
    }
    const serious = Object.entries(report.vulnerabilities ?? {})
      .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
      .map(([name, v]) => `${name} (${v.severity})`);
    expect(serious, 'run `npm audit --omit=dev` and upgrade these runtime dependencies').toEqual([]);
  });
});
