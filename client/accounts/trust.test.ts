import { describe, expect, it, vi } from 'vitest';
import { certifyKey, encryptPayload, generateKeyPair, toBase64Url } from '../../crypto/index.ts';

const trust = vi.hoisted(() => ({ root: '', recoveryKey: '' }));
vi.mock('./keyring.ts', () => ({
  trustRoot: () => (trust.root ? { root: trust.root, sendTo: [] } : null),
  session: () => ({ teamRecoveryKey: trust.recoveryKey }),
}));
const { caseRoots, requireCaseKeys, rememberReport, requireReporterKey } = await import('./trust.ts');

const recovery = await generateKeyPair({ name: 'Recovery', kind: 'team' });
const otherTeamRecovery = await generateKeyPair({ name: 'Supplier committee recovery', kind: 'team' });
const colleague = await generateKeyPair({ name: 'Other team member', kind: 'team' });
const reporter = await generateKeyPair({ name: 'Ombud reporter', kind: 'reporter' });
const attacker = await generateKeyPair({ name: 'Ombud reporter', kind: 'reporter' });
const certifiedColleague = await certifyKey({ publicKey: colleague.publicKey, certifier: otherTeamRecovery.privateKey });
trust.root = recovery.privateKey.fingerprint.toLowerCase();
trust.recoveryKey = recovery.publicKey;
const report = toBase64Url(await encryptPayload({ data: new Uint8Array([1]), recipients: [recovery.publicKey, reporter.publicKey] }));

describe('the workspace trust gate', () => {
  it('accepts the reporter key the report was encrypted to, refuses another', async () => {
    await expect(requireReporterKey({ report, reporterPublicKey: reporter.publicKey })).resolves.toBeUndefined();
    await expect(requireReporterKey({ report, reporterPublicKey: attacker.publicKey })).rejects.toMatchObject({ code: 'reporter-key' });
    await expect(requireReporterKey({ report: 'not a message', reporterPublicKey: reporter.publicKey })).rejects.toMatchObject({ code: 'reporter-key' });
  });

  it('lets a case’s report pins vouch for another team only when they include this team’s root', async () => {
    const other = otherTeamRecovery.privateKey.fingerprint.toLowerCase();
    expect(caseRoots({ pins: [trust.root, other] } as never)).toEqual([trust.root, other]);
    expect(caseRoots({ pins: [other] } as never)).toEqual([]);
    expect(caseRoots(undefined)).toEqual([]);
    const detail = { report, reporterPublicKey: reporter.publicKey } as never;
    const keys = [recovery.publicKey, otherTeamRecovery.publicKey, certifiedColleague];
    await expect(requireCaseKeys(detail, keys, { reporter: true })).rejects.toMatchObject({ code: 'uncertified' });
    rememberReport(detail, { pins: [trust.root, other] } as never);
    await expect(requireCaseKeys(detail, keys, { reporter: true })).resolves.toBeUndefined();
  });

  it('refuses everything without a root', async () => {
    trust.root = '';
    await expect(requireCaseKeys({ report, reporterPublicKey: reporter.publicKey } as never, [recovery.publicKey], { reporter: false }))
      .rejects.toMatchObject({ code: 'no-root' });
    trust.root = recovery.privateKey.fingerprint.toLowerCase();
  });
});
