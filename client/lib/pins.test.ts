import { describe, expect, it } from 'vitest';
import type { ChannelInfo } from '../../common/api.ts';
import { certifyKey, generateKeyPair, signTeamName } from '../../crypto/index.ts';
import { linkTrust, PinError, shownName, verifyChannel, verifyTeams } from './pins.ts';

const recovery = await generateKeyPair({ name: 'Recovery', kind: 'team' });
const member = await generateKeyPair({ name: 'Member', kind: 'team' });
const stranger = await generateKeyPair({ name: 'Stranger', kind: 'team' });
const certified = await certifyKey({ publicKey: member.publicKey, certifier: recovery.privateKey });
const pin = recovery.privateKey.fingerprint;

type Team = ChannelInfo['teams'][number];
const team = (over: Partial<Team> = {}): Team => ({
  id: 'team-0123456789abcdef', name: 'CSR team', recoveryKey: recovery.publicKey, investigatorKeys: [certified],
  recipientKeys: [certified, recovery.publicKey], preselected: true, role: null, note: '', ...over,
});
const problemOf = (promise: Promise<unknown>) => promise.then(() => 'accepted', (e: unknown) => (e instanceof PinError ? e.problem : String(e)));

describe('the report form’s pin check', () => {
  it('reads the pins from the fragment, and refuses a missing or damaged one', () => {
    expect(linkTrust(`#pins=${pin}`)).toEqual({ kind: 'pins', fingerprints: [pin] });
    expect(() => linkTrust('')).toThrow(expect.objectContaining({ problem: 'missing' }));
    expect(() => linkTrust('#pins=abc')).toThrow(expect.objectContaining({ problem: 'malformed' }));
    expect(() => linkTrust('#token')).toThrow(expect.objectContaining({ problem: 'malformed' }));
  });

  it('encrypts to exactly the certified keys and the recovery key, whatever else the server listed', async () => {
    const [checked] = await verifyTeams([team({ recipientKeys: [certified, recovery.publicKey, stranger.publicKey] })], linkTrust(`#pins=${pin}`));
    expect(checked!.recipientKeys).toEqual([certified, recovery.publicKey]);
  });

  it('refuses a team whose recovery key is not pinned, even when it certifies its keys', async () => {
    const forged = await certifyKey({ publicKey: member.publicKey, certifier: stranger.privateKey });
    const other = team({ recoveryKey: stranger.publicKey, investigatorKeys: [forged] });
    expect(await problemOf(verifyTeams([other], linkTrust(`#pins=${pin}`)))).toBe('unpinned');
  });

  it('refuses an investigator key the pinned recovery key did not certify', async () => {
    expect(await problemOf(verifyTeams([team({ investigatorKeys: [certified, stranger.publicKey] })], linkTrust(`#pins=${pin}`)))).toBe('uncertified');
    expect(await problemOf(verifyTeams([team({ investigatorKeys: [member.publicKey] })], linkTrust(`#pins=${pin}`)))).toBe('uncertified');
  });

  it('checks the whole channel when the page opens', async () => {
    const channel = { slug: 'plant-3', name: 'Plant 3', teams: [team(), team({ id: 'team-b0123456789abcd', recoveryKey: stranger.publicKey, investigatorKeys: [] })] } as unknown as ChannelInfo;
    expect(await problemOf(verifyChannel(channel, `#pins=${pin}`))).toBe('unpinned');
    expect(await problemOf(verifyChannel(channel, `#pins=${pin}.${stranger.privateKey.fingerprint}`))).toBe('accepted');
  });

  it('on the team’s own form: certification for every team, the known fingerprint for its own', async () => {
    const known = (fp: string) => ({ kind: 'known' as const, fingerprints: { 'team-0123456789abcdef': fp } });
    expect(await problemOf(verifyTeams([team()], known(pin)))).toBe('accepted');
    expect(await problemOf(verifyTeams([team()], known(stranger.privateKey.fingerprint)))).toBe('unpinned');
    expect(await problemOf(verifyTeams([team({ id: 'team-other0123456789' })], known(stranger.privateKey.fingerprint)))).toBe('accepted');
    expect(await problemOf(verifyTeams([team({ id: 'team-other0123456789', investigatorKeys: [stranger.publicKey] })], known(pin)))).toBe('uncertified');
  });

  it('shows a name in the worker’s language only when an investigator key the pinned key certified signed it', async () => {
    const statement = { teamId: 'team-0123456789abcdef', recovery: pin.toLowerCase() };
    const vi = await signTeamName({ ...statement, lang: 'vi', name: 'Ban khiếu nại nhà máy', key: member.privateKey });
    // the server's own forgery: signed by a key no pinned key certified, or a signed name moved to another language
    const byStranger = await signTeamName({ ...statement, lang: 'id', name: 'Tim independen merek', key: stranger.privateKey });
    const names = [
      { lang: 'vi', name: 'Ban khiếu nại nhà máy', signature: vi },
      { lang: 'id', name: 'Tim independen merek', signature: byStranger },
      { lang: 'th', name: 'Ban khiếu nại nhà máy', signature: vi },
      { lang: 'es', name: 'Equipo independiente', signature: 'not a signature' },
    ];
    const [checked] = await verifyTeams([team({ names })], linkTrust(`#pins=${pin}`));
    expect(checked!.localNames).toEqual({ vi: 'Ban khiếu nại nhà máy' });
    expect(checked!.refusedNames).toEqual(['id', 'th', 'es']);
    expect(shownName(checked!, 'vi')).toBe('Ban khiếu nại nhà máy');
    for (const lang of ['id', 'th', 'es', 'en']) expect(shownName(checked!, lang)).toBe(checked!.name);
  });
});
