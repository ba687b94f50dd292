/**
 * The status binding (docs/protocol.md, "v2: status page trust"): what the
 * report form checked and the worker chose, authenticated under a key only
 * the token gives (HKDF from the token's Argon2id master, info
 * `ombud/token/status-binding/v2`, ./kdf.ts). The server stores it opaque and
 * gives it back with the case; it cannot make one, change one, or move one to
 * another case. The status page checks every key it encrypts to against it.
 *
 * Record (canonical JSON, keys in this order, no spaces):
 *   {"v":2,"reporterKey":"<fingerprint>","teams":[{"id":"…","name":"…","recovery":"<fingerprint>"},…]}
 * Binding: base64url(record bytes) "." base64url(HMAC-SHA-256(bindingKey, "ombud/status-binding/v2\0" ‖ record bytes))
 */
import { CryptoInputError } from './errors.ts';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from './encoding.ts';

export interface BoundTeam {
  id: string;
  /** The name the form showed next to the team's tick box. */
  name: string;
  /** The team's recovery key fingerprint: 40 lowercase hex digits. */
  recovery: string;
}

export interface BindingRecord {
  v: 2;
  /** The reporter key's fingerprint. */
  reporterKey: string;
  teams: BoundTeam[];
}

/** A binding that does not verify: altered, made for another case, or not a binding at all. */
export class BindingError extends Error {
  override name = 'BindingError';
}

const DOMAIN = utf8('ombud/status-binding/v2\0');
const FINGERPRINT = /^[0-9a-f]{40}$/;
/** Far above a record of LIMITS.teamsPerReport teams with long names. */
export const MAX_BINDING_CHARS = 8192;

function canonical(record: BindingRecord): string {
  return JSON.stringify({
    v: 2,
    reporterKey: record.reporterKey,
    teams: record.teams.map((team) => ({ id: team.id, name: team.name, recovery: team.recovery })),
  });
}

function checkRecord(record: BindingRecord): void {
  const ok = record.v === 2 && FINGERPRINT.test(record.reporterKey) && Array.isArray(record.teams) && record.teams.length > 0
    && record.teams.every((team) => typeof team.id === 'string' && team.id !== '' && typeof team.name === 'string' && FINGERPRINT.test(team.recovery))
    && new Set(record.teams.map((team) => team.id)).size === record.teams.length;
  if (!ok) throw new CryptoInputError('not a status binding record');
}

async function hmacKey(bindingKey: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  if (bindingKey.length !== 32) throw new TypeError('a binding key has 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', bindingKey as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function macInput(recordBytes: Uint8Array): Uint8Array {
  const input = new Uint8Array(DOMAIN.length + recordBytes.length);
  input.set(DOMAIN, 0);
  input.set(recordBytes, DOMAIN.length);
  return input;
}

/** The binding string the form sends with the report (opaque to the server). */
export async function sealBinding(opts: { record: BindingRecord; bindingKey: Uint8Array }): Promise<string> {
  checkRecord(opts.record);
  const bytes = utf8(canonical(opts.record));
  const mac = await globalThis.crypto.subtle.sign('HMAC', await hmacKey(opts.bindingKey, 'sign'), macInput(bytes) as BufferSource);
  const binding = `${toBase64Url(bytes)}.${toBase64Url(new Uint8Array(mac))}`;
  if (binding.length > MAX_BINDING_CHARS) throw new CryptoInputError('the status binding is too long');
  return binding;
}

/** The record, once its MAC verifies under this token's binding key; BindingError otherwise. */
export async function openBinding(opts: { binding: string; bindingKey: Uint8Array }): Promise<BindingRecord> {
  const parts = opts.binding.length <= MAX_BINDING_CHARS ? opts.binding.split('.') : [];
  if (parts.length !== 2) throw new BindingError('not a status binding');
  let bytes: Uint8Array;
  let mac: Uint8Array;
  try {
    bytes = fromBase64Url(parts[0]!);
    mac = fromBase64Url(parts[1]!);
  } catch {
    throw new BindingError('not a status binding');
  }
  const valid = mac.length === 32 && await globalThis.crypto.subtle.verify(
    'HMAC', await hmacKey(opts.bindingKey, 'verify'), mac as BufferSource, macInput(bytes) as BufferSource,
  );
  if (!valid) throw new BindingError('the status binding does not verify with this token');
  let record: BindingRecord;
  try {
    record = JSON.parse(fromUtf8(bytes)) as BindingRecord;
    checkRecord(record);
  } catch {
    throw new BindingError('the status binding holds no valid record');
  }
  if (canonical(record) !== fromUtf8(bytes)) throw new BindingError('the status binding is not canonical');
  return record;
}
