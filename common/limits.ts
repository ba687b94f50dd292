/**
 * Every size, length and count that crosses the HTTP boundary, in one place.
 * The server's zod schemas and the browser forms both import these numbers,
 * so a form never lets a worker type more than the server will accept.
 */
export const LIMITS = {
  /** Largest encrypted report body (binary OpenPGP, before base64). */
  reportCiphertextBytes: 512 * 1024,
  /** Largest encrypted follow-up message (binary OpenPGP, before base64). */
  messageCiphertextBytes: 256 * 1024,
  /** Largest JSON request body the server parses at all. */
  jsonBodyBytes: 1024 * 1024,
  /** Per report field, in characters, as typed by the worker. */
  reportFieldChars: 10_000,
  /** A follow-up message, in characters. */
  messageChars: 10_000,
  /** Armored public key. */
  publicKeyChars: 16_384,
  /** Wrapped (AES-GCM) private key, bytes before base64. */
  wrappedKeyBytes: 8_192,
  usernameChars: 64,
  displayNameChars: 100,
  teamNameChars: 100,
  channelNameChars: 100,
  stageReasonChars: 2_000,
  /** Recipients of one message: investigators of a team + recovery + reporter. */
  recipientsPerMessage: 64,
  teamsPerReport: 4,
} as const;

/** Stages of a case, in order (EU Directive 2019/1937, ISO 37002). */
export const STAGES = ['received', 'acknowledged', 'assessing', 'investigating', 'concluded', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
