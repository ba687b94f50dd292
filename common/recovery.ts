/**
 * What the recovery key signs on /recover (docs/protocol.md, "Recovery"):
 * the server's single-use challenge, bound to the account it will create, so
 * that a signature seen in transit cannot be reused for another username or
 * password. The account's key is bound separately: it must carry the
 * recovery key's certification.
 */
export function recoveryStatement(opts: { challenge: string; username: string; verifier: string }): string {
  return `ombud-recovery:v1\nchallenge=${opts.challenge}\nusername=${opts.username}\nverifier=${opts.verifier}`;
}
