import { describe, expect, it } from 'vitest';
import { INBOX, ROUTES, routeOf } from './routes.ts';

describe('the workspace routes', () => {
  it.each([
    ['#/on-behalf', 'on-behalf'],
    ['#/stats', 'stats'],
    ['#/channels', 'channels'],
    ['#/members', 'members'],
    ['#/teams', 'teams'],
    ['#/audit', 'audit'],
  ])('shows %s as the %s view, focusing its heading', (hash, name) => {
    expect(routeOf(hash)).toEqual({ name, view: `${name}-view`, heading: `${name}-heading` });
  });

  it('opens a case by its id', () => {
    expect(routeOf('#/case/c_7-Xy')).toEqual({ name: 'case', view: 'case-view', heading: 'case-heading', caseId: 'c_7-Xy' });
  });

  it.each(['', '#', '#/', '#/case/', '#/case/a b', '#/case/a/b', '#/stats/', '#/STATS', '#/unknown', '#/audit?x', 'stats'])(
    'shows the case list for %j',
    (hash) => {
      expect(routeOf(hash)).toEqual(INBOX);
    },
  );

  it('gives every view its own element and heading', () => {
    const rows = [...ROUTES, INBOX];
    expect(new Set(rows.map((row) => row.view)).size).toBe(rows.length);
    expect(new Set(rows.map((row) => row.heading)).size).toBe(rows.length);
  });
});
