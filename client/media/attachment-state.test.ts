import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/limits.ts';
import {
  ACCEPTS, busy, needsSending, newItem, notReady, preparedOf, refusalAfter, refusalBefore, stale, transition,
  type AttachmentItem, type ItemEvent, type ItemState,
} from './attachment-state.ts';

const STATES: ItemState[] = ['preparing', 'encrypting', 'uploading', 'done', 'failed'];
const fresh = (name = 'photo.jpg', size = 3) => newItem({ id: name, name, type: 'image/jpeg', kind: 'file', clean: new Uint8Array(size) });
const run = (item: AttachmentItem, ...events: ItemEvent[]) => events.reduce(transition, item);
const ciphertext = new Uint8Array([1, 2, 3]);
const uploaded = (generation = 0, ticket = 't1') =>
  run(fresh(), { type: 'encrypt' }, { type: 'sealed', ciphertext, generation }, { type: 'upload' }, { type: 'uploaded', uploadId: 'u1', ticket });

describe('one attachment', () => {
  it('starts preparing, sized by its cleaned bytes', () => {
    expect(fresh('a.png', 5)).toMatchObject({ state: 'preparing', progress: 0, size: 5 });
  });

  it('goes preparing → encrypting → uploading → done, and the item given is left as it was', () => {
    const start = fresh();
    const encrypting = transition(start, { type: 'encrypt' });
    expect(encrypting.state).toBe('encrypting');
    expect(transition(encrypting, { type: 'progress', fraction: 0.5 }).progress).toBe(0.5);
    const sealed = transition(encrypting, { type: 'sealed', ciphertext, generation: 2 });
    expect(sealed).toMatchObject({ state: 'encrypting', ciphertext, sealedFor: 2 });
    const uploading = transition({ ...sealed, progress: 0.9 }, { type: 'upload' });
    expect(uploading).toMatchObject({ state: 'uploading', progress: 0 });
    expect(transition(uploading, { type: 'uploaded', uploadId: 'u1', ticket: 't1' })).toMatchObject({ state: 'done', progress: 1, uploadId: 'u1', ticket: 't1' });
    expect(start.state).toBe('preparing');
  });

  it('fails while encrypting or uploading, keeping the error; "try again" encrypts or only uploads again', () => {
    const error = new Error('network');
    const beforeSealing = run(fresh(), { type: 'encrypt' }, { type: 'fail', error });
    expect(beforeSealing).toMatchObject({ state: 'failed', error });
    expect(transition(beforeSealing, { type: 'encrypt' }).state).toBe('encrypting');
    const afterSealing = run(fresh(), { type: 'encrypt' }, { type: 'sealed', ciphertext, generation: 0 }, { type: 'upload' }, { type: 'fail', error });
    expect(transition(afterSealing, { type: 'upload' })).toMatchObject({ state: 'uploading', ciphertext });
  });

  it('throws the ciphertext and the upload away when the recipients change', () => {
    expect(transition(uploaded(), { type: 'unseal' })).toMatchObject({
      state: 'preparing', ciphertext: undefined, uploadId: undefined, ticket: undefined, sealedFor: undefined,
    });
  });

  it('is sent again on prepare from any state, and forgets its ticket without changing state', () => {
    for (const state of STATES) expect(transition({ ...fresh(), state }, { type: 'resend' }).state).toBe('failed');
    expect(transition(uploaded(), { type: 'forgetTicket' })).toMatchObject({ state: 'done', ticket: undefined, uploadId: 'u1' });
  });

  it('refuses an event in a state it does not belong to (a bug in the box, not a worker action)', () => {
    expect(() => transition(fresh(), { type: 'upload' })).toThrow('attachment: upload while preparing');
    expect(() => transition(uploaded(), { type: 'encrypt' })).toThrow(/encrypt while done/);
    expect(() => transition(fresh(), { type: 'unseal' })).toThrow();
    expect(() => transition(fresh(), { type: 'fail', error: 0 })).toThrow();
    expect(() => transition({ ...fresh(), state: 'uploading' }, { type: 'sealed', ciphertext, generation: 0 })).toThrow();
  });

  it('accepts exactly the events of its table in every state', () => {
    for (const [type, states] of Object.entries(ACCEPTS)) {
      for (const state of STATES) {
        const event = { type, fraction: 0, ciphertext, generation: 0, uploadId: 'u', ticket: 't', error: 'e' } as unknown as ItemEvent;
        const attempt = () => transition({ ...fresh(), state }, event);
        if (states.includes(state)) expect(attempt).not.toThrow();
        else expect(attempt).toThrow();
      }
    }
  });
});

describe('the list', () => {
  it('counts preparing, encrypting and uploading as busy; done and failed as settled', () => {
    expect(STATES.filter((state) => busy({ ...fresh(), state }))).toEqual(['preparing', 'encrypting', 'uploading']);
  });

  it('calls a ciphertext stale once the recipients moved on, and nothing stale without a ciphertext', () => {
    expect(stale(uploaded(0), 0)).toBe(false);
    expect(stale(uploaded(0), 1)).toBe(true);
    expect(stale(fresh(), 1)).toBe(false);
  });

  it('refuses by count, by size and by total before a file is read', () => {
    const full = Array.from({ length: LIMITS.attachmentsPerReport }, (_, i) => fresh(`f${i}`, 1));
    expect(refusalBefore(full, { name: 'x', size: 1 })).toEqual({ reason: 'tooMany', name: 'x' });
    expect(refusalBefore([], { name: 'x', size: LIMITS.attachmentBytes + 1 })).toEqual({ reason: 'tooBig', name: 'x', size: LIMITS.attachmentBytes + 1 });
    expect(refusalBefore([], { name: 'x', size: LIMITS.attachmentBytes })).toBeUndefined();
    const heavy = fresh('heavy', 0);
    heavy.size = LIMITS.attachmentsTotalBytes - 10;
    expect(refusalBefore([heavy], { name: 'x', size: 11 })).toEqual({ reason: 'tooMuch', name: 'x' });
    expect(refusalBefore([heavy], { name: 'x', size: 10 })).toBeUndefined();
  });

  it('checks the count again after cleaning (other files may have filled the list meanwhile)', () => {
    const full = Array.from({ length: LIMITS.attachmentsPerReport }, (_, i) => fresh(`f${i}`, 1));
    expect(refusalAfter(full, 'late')).toEqual({ reason: 'tooMany', name: 'late' });
    expect(refusalAfter(full.slice(1), 'late')).toBeUndefined();
  });

  it('sends again what failed or went under another ticket', () => {
    expect(needsSending(uploaded(0, 't1'), 't1')).toBe(false);
    expect(needsSending(uploaded(0, 't1'), 't2')).toBe(true);
    expect(needsSending({ ...uploaded(0, 't1'), state: 'failed' }, 't1')).toBe(true);
  });

  it('lets nothing go with the request that is not done, under this ticket, sealed for these recipients', () => {
    const good = uploaded(3, 't1');
    expect(notReady([good], 't1', 3)).toBeUndefined();
    expect(notReady([good, { ...good, id: 'b', state: 'failed' }], 't1', 3)?.id).toBe('b');
    expect(notReady([good], 't2', 3)).toBe(good);
    expect(notReady([good], 't1', 4)).toBe(good);
  });

  it('hands the request the upload ids and the encrypted content the metas', () => {
    const voice = { ...uploaded(0, 't1'), id: 'v', name: 'voice', type: 'audio/wav', kind: 'voice' as const, uploadId: 'u2', size: 9 };
    expect(preparedOf([uploaded(0, 't1'), voice], 't1')).toEqual({
      uploadTicket: 't1',
      ids: ['u1', 'u2'],
      metas: [
        { id: 'u1', name: 'photo.jpg', type: 'image/jpeg', size: 3, kind: 'file' },
        { id: 'u2', name: 'voice', type: 'audio/wav', size: 9, kind: 'voice' },
      ],
    });
  });
});
