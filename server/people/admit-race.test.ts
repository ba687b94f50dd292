import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { certifyKey } from '../../crypto/index.ts';
import { createTestServer, type TestServer } from '../testing.ts';

/** Lets the test hold an admission inside its (awaited) certification check. */
const gate = vi.hoisted(() => ({ hold: undefined as Promise<void> | undefined, reached: () => {} }));
vi.mock('../../crypto/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../crypto/index.ts')>();
  return {
    ...real,
    isCertifiedBy: async (args: Parameters<typeof real.isCertifiedBy>[0]) => {
      const result = await real.isCertifiedBy(args);
      if (gate.hold) { gate.reached(); await gate.hold; }
      return result;
    },
  };
});

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => {
  gate.hold = undefined;
  t.close();
});

describe('admitting a member while another administrator removes them', () => {
  it('does not admit (or audit as admitted) the member removed while their key was being checked', async () => {
    const pending = await t.addInvestigator(t.team, { admitted: false, certified: false });
    const first = await t.login(t.team.admin);
    const second = await t.login(await t.addInvestigator(t.team, { role: 'admin' }));
    const publicKey = await certifyKey({ publicKey: pending.keyPair.publicKey, certifier: t.team.recovery.privateKey });
    let release = () => {};
    gate.hold = new Promise<void>((resolve) => { release = resolve; });
    const reached = new Promise<void>((resolve) => { gate.reached = resolve; });
    const admitting = first.post(`/api/team/members/${pending.id}/admit`, { publicKey }).then((r) => r);
    await reached; // the admission has checked the key and not written yet
    gate.hold = undefined;
    const removed = await second.post(`/api/team/members/${pending.id}/remove`).expect(200);
    expect(removed.body.memberId).toBe(pending.id);
    release();
    const admitted = await admitting;
    expect(admitted.status).toBe(409);
    expect(admitted.body.error).toBe('member_disabled');
    expect(t.repos.investigators.find(pending.id)).toMatchObject({ disabled: true, admittedDay: null });
    expect(t.repos.audit.list().filter((e) => e.action === 'team.member_admitted')).toEqual([]);
  });

  it('does not let an administrator removed during the key checks admit anyone', async () => {
    const pending = await t.addInvestigator(t.team, { admitted: false, certified: false });
    const suspect = await t.addInvestigator(t.team, { role: 'admin' });
    const removing = await t.login(t.team.admin);
    const admitting = await t.login(suspect);
    const publicKey = await certifyKey({ publicKey: pending.keyPair.publicKey, certifier: t.team.recovery.privateKey });
    let release = () => {};
    gate.hold = new Promise<void>((resolve) => { release = resolve; });
    const reached = new Promise<void>((resolve) => { gate.reached = resolve; });
    const admission = admitting.post(`/api/team/members/${pending.id}/admit`, { publicKey }).then((r) => r);
    await reached;
    gate.hold = undefined;
    await removing.post(`/api/team/members/${suspect.id}/remove`).expect(200);
    release();
    expect((await admission).status).toBe(401);
    expect(t.repos.investigators.find(pending.id)!.admittedDay).toBeNull();
  });
});
