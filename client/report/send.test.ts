import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChannelInfo } from '../../common/api.ts';

let chosenTeams: typeof import('./send.ts').chosenTeams;
beforeAll(async () => {
  vi.stubGlobal('addEventListener', () => {}); // ./reporter-key.ts listens for pagehide when loaded
  ({ chosenTeams } = await import('./send.ts'));
});

const team = (id: string, recipientKeys: string[]): ChannelInfo['teams'][number] => ({
  id, name: id, recipientKeys, recoveryKey: `recovery of ${id}`, investigatorKeys: [], preselected: true, role: null, note: '',
});
const channel = (teams: ChannelInfo['teams']): ChannelInfo => ({
  slug: 'plant-3', name: 'Plant 3', teams, acknowledgeDays: 7, languages: ['en'], runBy: '', contacts: [], notes: '',
});

describe('the teams a report goes to', () => {
  it('keeps a ticked team that the server sends without recipient keys, instead of dropping it silently', () => {
    // The keys encrypted to are rebuilt from the pinned and certified ones (./pins.ts), never taken from recipientKeys.
    expect(chosenTeams(channel([team('committee', []), team('brand', ['k'])])).map((t) => t.id)).toEqual(['committee', 'brand']);
  });

  it('keeps every ticked team even past what one report may go to, so the intake refuses it openly', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((id) => team(id, ['k']));
    expect(chosenTeams(channel(many))).toHaveLength(5);
  });
});
