/**
 * The workspace's views by the address's hash, as one table: read top to
 * bottom, the first pattern that matches wins, and anything else (no hash,
 * `#/`, a case id with other characters) is the case list. Each row names the
 * view's element and the heading that gets the focus; ./main.ts shows it.
 * No DOM here, so the table is tested on its own (./routes.test.ts).
 */
export type ViewName = 'on-behalf' | 'stats' | 'channels' | 'members' | 'teams' | 'audit' | 'case' | 'inbox';

export interface ViewRoute {
  name: ViewName;
  /** The view's element id; ./main.ts shows only it. */
  view: `${ViewName}-view`;
  /** The heading focused when the view opens. */
  heading: string;
}

export const ROUTES: ReadonlyArray<ViewRoute & { pattern: RegExp }> = [
  { pattern: /^#\/on-behalf$/, name: 'on-behalf', view: 'on-behalf-view', heading: 'on-behalf-heading' },
  { pattern: /^#\/stats$/, name: 'stats', view: 'stats-view', heading: 'stats-heading' },
  { pattern: /^#\/channels$/, name: 'channels', view: 'channels-view', heading: 'channels-heading' },
  { pattern: /^#\/members$/, name: 'members', view: 'members-view', heading: 'members-heading' },
  { pattern: /^#\/teams$/, name: 'teams', view: 'teams-view', heading: 'teams-heading' },
  { pattern: /^#\/audit$/, name: 'audit', view: 'audit-view', heading: 'audit-heading' },
  { pattern: /^#\/case\/([A-Za-z0-9_-]+)$/, name: 'case', view: 'case-view', heading: 'case-heading' },
];

export const INBOX: ViewRoute = { name: 'inbox', view: 'inbox-view', heading: 'inbox-heading' };

/** The view for `hash` (location.hash), with the case id for a case. */
export function routeOf(hash: string): ViewRoute & { caseId?: string } {
  for (const { pattern, ...route } of ROUTES) {
    const match = pattern.exec(hash);
    if (match) return match[1] === undefined ? route : { ...route, caseId: match[1] };
  }
  return INBOX;
}
