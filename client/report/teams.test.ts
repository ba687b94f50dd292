import { describe, expect, it } from 'vitest';
import type { ChannelInfo } from '../../common/api.ts';
import { WORKER_LANGUAGES } from '../../common/limits.ts';
import { WORKER_CATALOGS } from '../i18n/index.ts';
import { chosenOf } from './teams.ts';

const team = (id: string, preselected: boolean): ChannelInfo['teams'][number] => ({ id, name: id, recipientKeys: ['k'], recoveryKey: 'k', investigatorKeys: [], preselected, role: null, note: '' });
const channel = (teams: ChannelInfo['teams']): ChannelInfo => ({
  slug: 'plant-3', name: 'Plant 3', teams, acknowledgeDays: 7, languages: ['en'], runBy: '', contacts: [], notes: '',
});

describe('the worker’s choice of teams before they change it', () => {
  it('is the channel’s preselected teams, in the channel’s order', () => {
    expect(chosenOf(channel([team('a', false), team('b', true), team('c', true)])).map((t) => t.id)).toEqual(['b', 'c']);
  });

  it('is the one team of a channel that offers one, whatever the data says', () => {
    expect(chosenOf(channel([team('a', false)])).map((t) => t.id)).toEqual(['a']);
  });

  it('is every team when the data preselects none (never no one)', () => {
    expect(chosenOf(channel([team('a', false), team('b', false)])).map((t) => t.id)).toEqual(['a', 'b']);
  });
});

describe('the languages a channel may list', () => {
  it('are exactly the worker catalogs, in the picker’s order', () => {
    expect(Object.keys(WORKER_CATALOGS)).toEqual([...WORKER_LANGUAGES]);
  });
});
