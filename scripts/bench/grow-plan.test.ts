import { describe, expect, it } from 'vitest';
import { RETENTION_DAYS, YEARS_DAYS, caseShape, teamOf } from '../../bench/grow-plan.ts';

describe('the grown deployment plan', () => {
  const n = 10_000;
  const shapes = Array.from({ length: n }, (_, i) => caseShape(i, n, 20));

  it('gives one team a tenth of the cases and spreads the rest evenly over the other 19', () => {
    const perTeam = new Map<number, number>();
    for (const s of shapes) perTeam.set(s.team, (perTeam.get(s.team) ?? 0) + 1);
    expect(perTeam.size).toBe(20);
    expect(perTeam.get(0)).toBe(1000);
    const others = [...perTeam].filter(([t]) => t !== 0).map(([, c]) => c);
    expect(Math.max(...others) - Math.min(...others)).toBeLessThanOrEqual(1);
    expect(teamOf(5, 10, 1)).toBe(0);
  });

  it('makes a tenth of the cases due for the purge, a tenth with a file, three messages on average', () => {
    expect(shapes.filter((s) => s.due)).toHaveLength(1000);
    expect(shapes.filter((s) => s.file)).toHaveLength(1000);
    expect(shapes.reduce((sum, s) => sum + s.messages, 0) / n).toBe(3);
    for (const s of shapes.filter((x) => x.due)) expect(s.closedAgo).toBeGreaterThan(RETENTION_DAYS);
  });

  it('gives the due cases threads and files like the others, so that the purge deletes what a grown deployment would', () => {
    const due = shapes.filter((s) => s.due);
    expect(due.filter((s) => s.file)).toHaveLength(100);
    expect(due.reduce((sum, s) => sum + s.messages, 0) / due.length).toBe(3);
  });

  it('keeps the cases that are not due within five years, closed after 90 days, never past retention', () => {
    for (const s of shapes.filter((x) => !x.due)) {
      expect(s.receivedAgo).toBeLessThan(YEARS_DAYS);
      expect(s.closedAgo === null).toBe(s.receivedAgo <= 90);
      if (s.closedAgo !== null) expect(s.closedAgo).toBeLessThan(RETENTION_DAYS);
    }
    expect(new Set(shapes.map((s) => s.receivedAgo)).size).toBeGreaterThan(YEARS_DAYS * 0.9);
  });
});
