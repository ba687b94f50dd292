/**
 * Teams, channels and investigators with real OpenPGP keys, written straight
 * to the repositories (faster than going through setup).
 */
import {
  certifyKey, derivePasswordSecrets, describePublicKey, generateKeyPair, newSalt, randomBytes, sealEnvelope, toBase64Url, wrapKey,
} from '../../crypto/index.ts';
import type { KeyPair, UnlockedKey } from '../../crypto/index.ts';
import type { Repositories, Role } from '../../db/index.ts';
import { hashVerifier } from '../auth/verifier-hash.ts';
import { dayOf, type Clock } from '../clock.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import { randomId } from '../security/secrets.ts';

export interface TestInvestigator {
  id: string;
  teamId: string;
  username: string;
  displayName: string;
  role: Role;
  keyPair: KeyPair;
  /** Sent at login. */
  verifier: string;
  /** Opens `wrappedPrivateKey` (a v2 key envelope, or v1 when made with `envelope: 1`). */
  wrapKey: Uint8Array;
  salt: string;
  /** Only when created with a password (slow: real Argon2id). */
  password: string | undefined;
}

export interface TestTeam {
  id: string;
  name: string;
  /** The offline recovery key pair (its private half never reaches a server). */
  recovery: KeyPair;
  channelSlug: string;
  admin: TestInvestigator;
}

export interface InvestigatorOptions {
  username?: string;
  displayName?: string;
  role?: Role;
  /** Give a password to derive the verifier and wrap key with real Argon2id (as a browser would). */
  password?: string;
  /** false: an invitee who accepted and was not admitted yet (default true). */
  admitted?: boolean;
  /** false: leave the key without the recovery key's certification (default true, as admission does). */
  certified?: boolean;
  /**
   * 2 (default): a key envelope holding the trust root (docs/protocol.md "v2: workspace trust root"):
   * the team's recovery fingerprint, and for the deployment team every other team existing now.
   * 1: a wrapped key made before v2, with no root (the sign-in page asks to confirm one).
   */
  envelope?: 1 | 2;
}

/** Recovery keys of the teams made here, to certify their investigators' keys as an admitting browser does. */
const recoveryKeys = new Map<string, UnlockedKey>();

type Deps = { repos: Repositories; clock: Clock };

function trustRootOf(deps: Deps, teamId: string): { root: string; sendTo: string[] } {
  const teams = deps.repos.teams.list();
  const own = teams.find((team) => team.id === teamId);
  if (!own) throw new Error(`no team ${teamId}`);
  return { root: own.recoveryFingerprint, sendTo: own.runsDeployment ? teams.filter((t) => t.id !== teamId).map((t) => t.recoveryFingerprint) : [] };
}

export async function addInvestigator(deps: Deps, teamId: string, options: InvestigatorOptions = {}): Promise<TestInvestigator> {
  const username = options.username ?? `inv-${randomId().slice(0, 8).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const keyPair = await generateKeyPair({ kind: 'investigator' });
  const salt = newSalt();
  const secrets = options.password
    ? await derivePasswordSecrets(options.password, salt, PASSWORD_KDF_PARAMS)
    : { verifier: toBase64Url(randomBytes(32)), wrapKey: randomBytes(32) };
  const info = await describePublicKey(keyPair.publicKey);
  const certifier = recoveryKeys.get(teamId);
  if (certifier && options.certified !== false) {
    keyPair.publicKey = await certifyKey({ publicKey: keyPair.publicKey, certifier });
  }
  const investigator: TestInvestigator = {
    id: randomId(), teamId, username, displayName: options.displayName ?? `Investigator ${username}`,
    role: options.role ?? 'investigator', keyPair, verifier: secrets.verifier, wrapKey: secrets.wrapKey, salt,
    password: options.password,
  };
  deps.repos.investigators.create({
    id: investigator.id, teamId, username, displayName: investigator.displayName, role: investigator.role,
    passwordSalt: salt, kdf: { ...PASSWORD_KDF_PARAMS }, ...(await hashVerifier(secrets.verifier)),
    publicKey: keyPair.publicKey, fingerprint: info.fingerprint, encryptionKeyIds: info.encryptionKeyIds,
    wrappedPrivateKey: options.envelope === 1
      ? await wrapKey({ key: keyPair.privateKey, wrapKey: secrets.wrapKey, purpose: 'investigator' })
      : await sealEnvelope({ key: keyPair.privateKey, wrapKey: secrets.wrapKey, trust: trustRootOf(deps, teamId) }),
    createdDay: dayOf(deps.clock.now()), disabled: false, admittedDay: options.admitted === false ? null : dayOf(deps.clock.now()),
  });
  return investigator;
}

export interface TeamOptions {
  name?: string;
  /** Slug of a channel created for this team alone. */
  channelSlug?: string;
  admin?: InvestigatorOptions;
  /** Default: true for the first team made, as at first setup. */
  runsDeployment?: boolean;
}

/** A team with its recovery key, an administrator, and a channel offering it. */
export async function addTeam(deps: Deps, options: TeamOptions = {}): Promise<TestTeam> {
  const name = options.name ?? 'CSR team';
  const recovery = await generateKeyPair({ kind: 'recovery', teamName: name });
  const info = await describePublicKey(recovery.publicKey);
  const id = randomId();
  const today = dayOf(deps.clock.now());
  deps.repos.teams.create({
    id, name, recoveryPublicKey: recovery.publicKey, recoveryFingerprint: info.fingerprint,
    recoveryKeyIds: info.encryptionKeyIds, createdDay: today,
    runsDeployment: options.runsDeployment ?? deps.repos.teams.list().length === 0,
  });
  recoveryKeys.set(id, recovery.privateKey);
  const channelSlug = options.channelSlug ?? `factory-${id.slice(0, 6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  deps.repos.channels.create({ slug: channelSlug, name: `${name} channel`, createdDay: today, teamIds: [id] });
  const admin = await addInvestigator(deps, id, { role: 'admin', username: `admin-${channelSlug}`, ...options.admin });
  return { id, name, recovery, channelSlug, admin };
}
