/**
 * A reporter's browser, in Node: fetch the channel, solve the proof of work,
 * encrypt to the listed keys, submit; read the status; write to the team.
 * The lookup id and verifier are random 32-byte values (the server cannot
 * tell them from token-derived ones, and Argon2id would slow every test).
 */
import request from 'supertest';
import type { Express } from 'express';
import {
  encryptPayload, generateKeyPair, randomBytes, solvePow, toBase64Url, utf8, wrapKey,
} from '../../crypto/index.ts';
import type { KeyPair } from '../../crypto/index.ts';
import type { ChannelInfo, IntakeRequest, PowChallenge, ReporterCredentials } from '../../common/api.ts';

export interface ReportDraft {
  /** The JSON body, ready to post (tests may spoil it first). */
  body: IntakeRequest;
  credentials: ReporterCredentials;
  reporterKey: KeyPair;
  /** Unwraps `body.wrappedReporterKey` (purpose 'reporter'). */
  wrapKey: Uint8Array;
  channel: ChannelInfo;
}

export interface DraftOptions {
  channel: string;
  /** Default: the channel's first team. */
  teamIds?: string[];
  /** Default: every key the channel lists for the chosen teams, plus the reporter's own. */
  recipients?: (defaults: string[], reporterPublicKey: string) => string[];
  /** Default: a small JSON report. */
  plaintext?: Uint8Array;
  /** Default: a freshly fetched and solved challenge. */
  pow?: { challenge: string; nonce: string };
  /** Protocol v2: an (opaque) status binding sent with the report; default none, as from a form older than v2. */
  statusBinding?: string;
}

export const json = { 'Content-Type': 'application/json' } as const;

export async function fetchSolvedPow(app: Express): Promise<{ challenge: string; nonce: string }> {
  const res = await request(app).post('/api/pow').set(json).send({}).expect(200);
  const { challenge, difficulty } = res.body as PowChallenge;
  return { challenge, nonce: await solvePow({ challenge, difficulty }) };
}

export async function draftReport(app: Express, options: DraftOptions): Promise<ReportDraft> {
  const channel = (await request(app).get(`/api/channels/${options.channel}`).expect(200)).body as ChannelInfo;
  const teamIds = options.teamIds ?? [channel.teams[0]!.id];
  const teamKeys = channel.teams.filter((t) => teamIds.includes(t.id)).flatMap((t) => t.recipientKeys);
  const reporterKey = await generateKeyPair({ name: 'reporter', kind: 'reporter' });
  const defaults = [...teamKeys, reporterKey.publicKey];
  const recipients = options.recipients ? options.recipients(defaults, reporterKey.publicKey) : defaults;
  const plaintext = options.plaintext ?? utf8(JSON.stringify({ v: 1, what: 'test report' }));
  const report = await encryptPayload({ data: plaintext, recipients });
  const wrap = randomBytes(32);
  const credentials = { lookupId: toBase64Url(randomBytes(32)), verifier: toBase64Url(randomBytes(32)) };
  const body: IntakeRequest = {
    channel: channel.slug,
    teamIds,
    pow: options.pow ?? (await fetchSolvedPow(app)),
    ...credentials,
    reporterPublicKey: reporterKey.publicKey,
    wrappedReporterKey: await wrapKey({ key: reporterKey.privateKey, wrapKey: wrap, purpose: 'reporter' }),
    report: toBase64Url(report),
    ...(options.statusBinding ? { statusBinding: options.statusBinding } : {}),
  };
  return { body, credentials, reporterKey, wrapKey: wrap, channel };
}

/** Encrypts a message the way either side of a case would, base64url. */
export async function encryptMessage(text: string, recipients: string[]): Promise<string> {
  return toBase64Url(await encryptPayload({ data: utf8(JSON.stringify({ v: 1, text })), recipients }));
}
