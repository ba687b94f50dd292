import { describe, expect, it } from 'vitest';
import { keptForWorkspace, passesThrough, servedFile } from './protocol.ts';

const files = { '/team.html': 'a', '/status.html': 'b', '/assets/team-x.js': 'c' };
const entryPoints = { '/team': ['/team.html', '/pending.html'], '/status': ['/status.html'] };

describe('what the workspace’s service worker serves', () => {
  it('answers /team with the workspace page and a listed file with itself', () => {
    expect(servedFile('/team', files, entryPoints)).toBe('/team.html');
    expect(servedFile('/team/', files, entryPoints)).toBe('/team.html');
    expect(servedFile('/assets/team-x.js', files, entryPoints)).toBe('/assets/team-x.js');
  });

  it('serves nothing the manifest does not list, and nothing through an inherited property', () => {
    expect(servedFile('/assets/injected.js', files, entryPoints)).toBeUndefined();
    expect(servedFile('/constructor', files, entryPoints)).toBeUndefined();
    expect(servedFile('/team', files, { '/team': ['/pending.html'] })).toBeUndefined();
  });

  it('leaves the API and the manifest files to the network', () => {
    expect(passesThrough('/api/cases')).toBe(true);
    expect(passesThrough('/.well-known/ombud/manifest.json')).toBe(true);
    expect(passesThrough('/apis.js')).toBe(false);
    expect(passesThrough('/team')).toBe(false);
  });

  it('keeps the workspace page and its files, not the other pages nor the worker pages’ prompts', () => {
    expect(keptForWorkspace('/team.html')).toBe(true);
    expect(keptForWorkspace('/assets/team-x.js')).toBe(true);
    expect(keptForWorkspace('/status.html')).toBe(false);
    expect(keptForWorkspace('/assets/prompts/vi/0a1b.opus')).toBe(false);
    expect(keptForWorkspace('/listen-vi.json')).toBe(false);
    expect(keptForWorkspace('/assets/listen-x.js')).toBe(true);
  });
});
