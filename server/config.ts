/**
 * The server's configuration: environment variables, parsed once with zod,
 * frozen, and passed to `createApp`. This is the only module in server/ that
 * reads `process.env` (in `loadConfig`); everything else receives an
 * `AppConfig`, so tests build one with `testConfig()` from ./testing.ts.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const Env = z.object({
  /** Directory for the database and the server secret. Created if missing. Default `./data`. */
  OMBUD_DATA_DIR: z.string().min(1).default('./data'),
  /** Address to listen on. Default `127.0.0.1` (put a TLS proxy in front). */
  OMBUD_HOST: z.string().min(1).default('127.0.0.1'),
  /** Port to listen on. Default `8080`. */
  OMBUD_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /**
   * The address people use to reach the service, scheme + host (+ port), no
   * path: e.g. `https://speakup.example.org`. Used for links (setup link,
   * posters) and as the only Origin accepted on state-changing requests.
   * Default `http://<host>:<port>`.
   */
  OMBUD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * More addresses the same service answers on, comma-separated origins
   * (scheme://host[:port], no path), e.g. its onion address
   * `http://abc…xyz.onion`. Each is accepted as an Origin on state-changing
   * requests beside the public URL's, and nothing else is. When one is an
   * onion origin, pages served on the public address carry an
   * `Onion-Location` header pointing to it, and posters print it. Default: none.
   */
  OMBUD_EXTRA_ORIGINS: z.string().default(''),
  /**
   * The origin (scheme://host[:port], no path) of a second, static host that
   * serves the worker pages (report, status, info) — run by someone other
   * than the API operator, e.g. an NGO (`npm run build -- --worker-origin-build
   * DIR --api-origin <public URL>` makes its files; docs/operating.md). Only
   * this origin, and only on the reporter endpoints those pages call, gets
   * CORS answers (no credentials); every other route stays same-origin.
   * Posters and the workspace's pinned links then point to it. Default: none
   * (the worker pages are served here, same-origin).
   */
  OMBUD_WORKER_ORIGIN: z.string().default(''),
  /** Mark the session cookie `Secure`. Default: true iff the public URL is https. */
  OMBUD_SECURE_COOKIES: bool.optional(),
  /** Proof-of-work difficulty in leading zero bits (0–32). Default 16: well under a second on a cheap phone. */
  OMBUD_POW_DIFFICULTY: z.coerce.number().int().min(0).max(32).default(16),
  /** Minutes without a request after which an investigator session ends. Default 30. */
  OMBUD_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Directory of the built client (Vite output). Default `dist/client`. */
  OMBUD_CLIENT_DIR: z.string().min(1).default('dist/client'),
  /**
   * How many reverse proxies stand in front: `false` (default: none; the
   * socket's address is the client), a hop count (`1`: one proxy — the
   * client is the right-most X-Forwarded-For entry, the one that proxy
   * added; whatever a client writes to the left of it is ignored), or a
   * comma-separated list of the proxies' addresses/subnets. `true` is
   * refused: it believed the LEFT-most entry, which any client can write.
   * Only the in-memory brute-force limiter ever looks at client addresses.
   */
  OMBUD_TRUST_PROXY: z.string().default('false'),
  /**
   * Outgoing mail for investigators' notices, as a URL: `smtp://user:pass@host:587`
   * (STARTTLS, required unless the host is loopback; `?requireTLS=false`
   * allows a plain connection) or `smtps://user:pass@host:465` (TLS from the
   * start). Percent-encode special characters in the user and password.
   * Unset (default): no e-mail is sent.
   */
  OMBUD_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** The From address of notices, e.g. `Ombud <ombud@example.org>`. Required with OMBUD_SMTP_URL. */
  OMBUD_MAIL_FROM: z.string().min(3).optional(),
  /**
   * Turns on `GET /api/metrics` (counts only, Prometheus text), answered to
   * `Authorization: Bearer <this token>` only. At least 32 characters, e.g.
   * `openssl rand -hex 32`. Unset (default): no metrics endpoint.
   */
  OMBUD_METRICS_TOKEN: z.string().regex(/^\S{32,512}$/, 'at least 32 characters, no spaces').optional(),
  /**
   * The passphrase that encrypts backups (`npm run ombud -- backup`) and that
   * `restore` needs; `--passphrase-file FILE` does the same. Read only by the
   * operator's tool, never by the server. Unset (default): give the file.
   */
  OMBUD_BACKUP_PASSPHRASE: z.string().min(1).optional(),
  /**
   * The release public key (armored OpenPGP) that signs the client manifest
   * (docs/verifying.md). When set, the server refuses to start unless
   * `<client dir>/.well-known/ombud/manifest.json.asc` is a valid signature by
   * it, and serves it at `/.well-known/ombud/release-key.asc` for auditors
   * and the workspace. Only the public half: the secret half stays with
   * whoever signs releases. Unset (default): the manifest is served unsigned.
   */
  OMBUD_RELEASE_KEY_FILE: z.string().min(1).optional(),
});

export interface AppConfig {
  dataDir: string;
  host: string;
  port: number;
  /** Without a trailing slash. */
  publicUrl: string;
  /** `new URL(publicUrl).origin`: the Origin accepted on POSTs (with `extraOrigins`). */
  publicOrigin: string;
  /** OMBUD_EXTRA_ORIGINS: the other origins accepted on POSTs (e.g. the onion address). */
  extraOrigins: readonly string[];
  /** The first `.onion` origin of `extraOrigins`, if any: `Onion-Location` and the posters' second line. */
  onionOrigin: string | undefined;
  /**
   * OMBUD_WORKER_ORIGIN: the independent static host of the worker pages, or
   * undefined (served here). The one origin the reporter endpoints answer
   * across origins (server/security/worker-cors.ts).
   */
  workerOrigin: string | undefined;
  secureCookies: boolean;
  powDifficulty: number;
  sessionIdleMinutes: number;
  clientDir: string;
  /** Express `trust proxy`: false, a hop count, or the proxies' addresses (never `true`). */
  trustProxy: false | number | string;
  /** Where notices are sent from; undefined: no e-mail (OMBUD_SMTP_URL unset). */
  mail: Readonly<{ smtpUrl: string; from: string }> | undefined;
  /** The bearer token of GET /api/metrics; undefined: the endpoint is off. */
  metricsToken: string | undefined;
  /** OMBUD_BACKUP_PASSPHRASE (the operator's tool only; createApp never reads it). */
  backupPassphrase?: string | undefined;
  /** OMBUD_RELEASE_KEY_FILE, resolved: the release public key file; undefined: the manifest is unsigned. */
  releaseKeyFile?: string | undefined;
}

/**
 * Argon2id parameters the browser uses to turn a password into a login
 * verifier and a key-wrapping key. Setup and login must agree; each
 * investigator's parameters are also stored with them, so these can be
 * raised later without locking anyone out. Equal to crypto's PASSWORD_KDF
 * (a test checks).
 */
export const PASSWORD_KDF_PARAMS = Object.freeze({
  algorithm: 'argon2id',
  memoryKiB: 65_536,
  iterations: 3,
  parallelism: 1,
} as const);

function parseTrustProxy(value: string): false | number | string {
  const v = value.trim();
  if (v === 'false' || v === '0' || v === '') return false;
  if (v === 'true') {
    throw new ConfigError(
      'invalid configuration: OMBUD_TRUST_PROXY=true would believe the left-most X-Forwarded-For address, which any client can forge; '
      + 'set the number of proxies in front instead (usually OMBUD_TRUST_PROXY=1), or their addresses',
    );
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new ConfigError('invalid configuration: OMBUD_TRUST_PROXY is a hop count of at most 10 (the proxies in front)');
    return hops;
  }
  return v;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** OMBUD_EXTRA_ORIGINS → distinct origins, each scheme://host[:port] exactly (no path, user, query). */
function parseExtraOrigins(value: string, publicOrigin: string): string[] {
  const origins: string[] = [];
  for (const raw of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`invalid configuration: OMBUD_EXTRA_ORIGINS: "${raw}" is not an address like http://example.onion`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(`invalid configuration: OMBUD_EXTRA_ORIGINS: "${raw}" must start with http:// or https://`);
    }
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      throw new ConfigError(`invalid configuration: OMBUD_EXTRA_ORIGINS: "${raw}" must be scheme://host[:port] without a path`);
    }
    if (url.origin === publicOrigin || origins.includes(url.origin)) continue;
    origins.push(url.origin);
  }
  return origins;
}

/** OMBUD_WORKER_ORIGIN → one origin, scheme://host[:port] exactly, not the public origin itself; '' → undefined. */
function parseWorkerOrigin(value: string, publicOrigin: string): string | undefined {
  const raw = value.trim();
  if (raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`invalid configuration: OMBUD_WORKER_ORIGIN: "${raw}" is not an address like https://report.example.org`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`invalid configuration: OMBUD_WORKER_ORIGIN: "${raw}" must start with http:// or https://`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password || raw.includes(',')) {
    throw new ConfigError(`invalid configuration: OMBUD_WORKER_ORIGIN: "${raw}" must be one scheme://host[:port] without a path`);
  }
  if (url.origin === publicOrigin) {
    throw new ConfigError('invalid configuration: OMBUD_WORKER_ORIGIN is the public URL itself: leave it unset to serve the worker pages here');
  }
  if (publicOrigin.startsWith('https:') && url.protocol !== 'https:') {
    throw new ConfigError(`invalid configuration: OMBUD_WORKER_ORIGIN: "${raw}" must be https:// when the public URL is`);
  }
  return url.origin;
}

/** Pure: builds the configuration from an environment-like record. */
export function parseConfig(env: Record<string, string | undefined>): Readonly<AppConfig> {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const hostForUrl = e.OMBUD_HOST.includes(':') ? `[${e.OMBUD_HOST}]` : e.OMBUD_HOST;
  const url = new URL(e.OMBUD_PUBLIC_URL ?? `http://${hostForUrl}:${e.OMBUD_PORT}`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError('invalid configuration: OMBUD_PUBLIC_URL must be scheme://host[:port] without a path');
  }
  if (e.OMBUD_SMTP_URL && !e.OMBUD_MAIL_FROM) {
    throw new ConfigError('invalid configuration: OMBUD_MAIL_FROM is required with OMBUD_SMTP_URL');
  }
  const extraOrigins = Object.freeze(parseExtraOrigins(e.OMBUD_EXTRA_ORIGINS, url.origin));
  return Object.freeze({
    dataDir: resolve(e.OMBUD_DATA_DIR),
    host: e.OMBUD_HOST,
    port: e.OMBUD_PORT,
    publicUrl: url.origin,
    publicOrigin: url.origin,
    extraOrigins,
    onionOrigin: extraOrigins.find((origin) => new URL(origin).hostname.endsWith('.onion')),
    workerOrigin: parseWorkerOrigin(e.OMBUD_WORKER_ORIGIN, url.origin),
    secureCookies: e.OMBUD_SECURE_COOKIES ?? url.protocol === 'https:',
    powDifficulty: e.OMBUD_POW_DIFFICULTY,
    sessionIdleMinutes: e.OMBUD_SESSION_IDLE_MINUTES,
    clientDir: resolve(e.OMBUD_CLIENT_DIR),
    trustProxy: parseTrustProxy(e.OMBUD_TRUST_PROXY),
    mail: e.OMBUD_SMTP_URL && e.OMBUD_MAIL_FROM ? Object.freeze({ smtpUrl: e.OMBUD_SMTP_URL, from: e.OMBUD_MAIL_FROM }) : undefined,
    metricsToken: e.OMBUD_METRICS_TOKEN,
    backupPassphrase: e.OMBUD_BACKUP_PASSPHRASE,
    releaseKeyFile: e.OMBUD_RELEASE_KEY_FILE === undefined ? undefined : resolve(e.OMBUD_RELEASE_KEY_FILE),
  });
}

/** The one read of `process.env` in server/. */
export function loadConfig(): Readonly<AppConfig> {
  return parseConfig(process.env);
}
