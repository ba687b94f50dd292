import { describe, expect, it } from 'vitest';
import { INITIAL, transition, visible, type RecorderEvent, type RecorderModel } from './recorder-state.ts';

const run = (...events: RecorderEvent[]) => events.reduce(transition, INITIAL);
const recorded = (): RecorderModel => run({ type: 'press' }, { type: 'start' }, { type: 'stopped' }, { type: 'processed' });
const shownParts = (model: RecorderModel) => Object.entries(visible(model)).filter(([, on]) => on).map(([part]) => part);

describe('the voice recorder', () => {
  it('starts idle and disguised, showing only the record button', () => {
    expect(INITIAL).toEqual({ step: 'idle', disguised: true, warning: false });
    expect(shownParts(INITIAL)).toEqual(['record']);
  });

  it('records, processes and is ready, saying so at each step', () => {
    const recording = run({ type: 'press' }, { type: 'start' });
    expect(recording).toMatchObject({ step: 'recording', status: 'recording' });
    expect(shownParts(recording)).toEqual(['stop', 'time']);
    const processing = transition(recording, { type: 'stopped' });
    expect(processing).toMatchObject({ step: 'processing', status: 'processing' });
    expect(shownParts(processing)).toEqual([]);
    expect(recorded()).toMatchObject({ step: 'ready', status: 'ready', disguised: true });
    expect(shownParts(recorded())).toEqual(['time', 'preview', 'disguiseOff']);
  });

  it('keeps saying the limit was reached through processing and ready', () => {
    const model = run({ type: 'press' }, { type: 'start' }, { type: 'limit' }, { type: 'stopped' }, { type: 'processed' });
    expect(model).toMatchObject({ step: 'ready', status: 'limitReached' });
  });

  it('asks before the disguise goes off, and switching it makes the file again', () => {
    const asked = transition(recorded(), { type: 'askDisguiseOff' });
    expect(shownParts(asked)).toContain('warning');
    expect(shownParts(transition(asked, { type: 'keepDisguise' }))).not.toContain('warning');
    const switching = transition(asked, { type: 'setDisguise', on: false });
    expect(switching).toMatchObject({ step: 'processing', disguised: false, warning: false, status: 'processing' });
    const plain = transition(switching, { type: 'republished' });
    expect(plain).toMatchObject({ step: 'ready', disguised: false, status: 'ready' });
    expect(shownParts(plain)).toEqual(['time', 'preview', 'disguiseOn']);
  });

  it('shows a failed re-make as an error, and stays ready with the earlier file', () => {
    const model = run({ type: 'press' }, { type: 'start' }, { type: 'stopped' }, { type: 'processed' }, { type: 'setDisguise', on: false }, { type: 'republished', problem: 'failed' });
    expect(model).toMatchObject({ step: 'ready', problem: 'failed', status: 'ready' });
  });

  it('forgets the take on delete: idle, disguised again for the next one, an error line left as it was', () => {
    const played = transition(transition(recorded(), { type: 'setDisguise', on: false }), { type: 'problem', problem: 'playFailed' });
    const deleted = transition(played, { type: 'delete' });
    expect(deleted).toMatchObject({ step: 'idle', disguised: true, warning: false, status: 'deleted', problem: 'playFailed' });
  });

  it('stays idle with the reason when the microphone is refused; pressing again empties both lines', () => {
    const refused = run({ type: 'press' }, { type: 'problem', problem: 'denied' });
    expect(refused).toMatchObject({ step: 'idle', problem: 'denied' });
    expect(refused.status).toBeUndefined();
    expect(transition(refused, { type: 'press' })).toEqual({ ...INITIAL, status: undefined, problem: undefined });
  });

  it('goes back to idle with the reason when recording or decoding fails, the disguise on again', () => {
    const failed = transition(transition(recorded(), { type: 'setDisguise', on: false }), { type: 'failed', problem: 'failed' });
    expect(failed).toMatchObject({ step: 'idle', disguised: true, problem: 'failed' });
    expect(failed.status).toBeUndefined();
  });

  it('is emptied entirely once the message is sent', () => {
    const model = transition(transition(recorded(), { type: 'problem', problem: 'playFailed' }), { type: 'clear' });
    expect(model).toEqual({ ...INITIAL, status: undefined, problem: undefined });
    expect(shownParts(model)).toEqual(['record']);
  });

  it('leaves the model it was given unchanged', () => {
    const before = recorded();
    const copy = { ...before };
    transition(before, { type: 'delete' });
    expect(before).toEqual(copy);
  });
});
