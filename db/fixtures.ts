/**
 * Records for repository tests: a team, a channel, an investigator and a case
 * with placeholder keys (the storage layer does not parse keys).
 */
import type { Repositories } from './index.ts';
import type { CaseRecord } from './cases.repo.ts';
import type { InvestigatorRecord } from './investigators.repo.ts';

export const DAY = '2025-03-14';

export function seedOrganisation(repos: Repositories, suffix = 'a') {
  const team = repos.teams.create({
    id: `team-${suffix}-0123456789ab`,
    name: `Team ${suffix}`,
    recoveryPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nrecovery\n',
    recoveryFingerprint: 'ff'.repeat(20),
    recoveryKeyIds: ['aabbccddeeff0011'],
    createdDay: DAY,
  });
  const channel = repos.channels.create({
    slug: `factory-${suffix}`,
    name: `Factory ${suffix}`,
    createdDay: DAY,
    teamIds: [team.id],
  });
  const investigator = repos.investigators.create(investigatorRecord(team.id, suffix));
  return { team, channel, investigator };
}

export function investigatorRecord(teamId: string, suffix: string): Omit<InvestigatorRecord, 'admittedDay'> {
  return {
    id: `inv-${suffix}-0123456789abcd`,
    teamId,
    username: `alice-${suffix}`,
    displayName: `Alice ${suffix}`,
    role: 'admin',
    passwordSalt: 'c2FsdA',
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 },
    verifierHash: 'aGFzaA',
    verifierSalt: 'c2FsdDI',
    verifierParams: 'scrypt:32768:8:1',
    publicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nalice\n',
    fingerprint: 'ee'.repeat(20),
    encryptionKeyIds: ['1122334455667788'],
    wrappedPrivateKey: 'd3JhcHBlZA',
    createdDay: DAY,
    disabled: false,
  };
}

export function caseRecord(channelSlug: string, overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'case-0123456789abcdef',
    channelSlug,
    stage: 'received',
    receivedDay: DAY,
    acknowledgeByDay: '2025-03-21',
    feedbackMonths: 3,
    acknowledgedDay: null,
    closedDay: null,
    lastActivityDay: DAY,
    lookupHash: 'ab'.repeat(32),
    verifierHash: 'cd'.repeat(32),
    reporterPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nreporter\n',
    reporterKeyIds: ['99887766554433aa'],
    wrappedReporterKey: 'a2V5',
    report: new Uint8Array([0xc1, 1, 2, 3, 0, 255]),
    statusBinding: null,
    ...overrides,
  };
}
