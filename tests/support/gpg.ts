/** GnuPG in a throwaway home folder, for interoperability tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Gpg {
  importKey(armored: string): void;
  /** Decrypts a binary OpenPGP message; throws if GnuPG cannot. */
  decrypt(message: Uint8Array): Buffer;
  dispose(): void;
}

export function tempGpg(): Gpg {
  const home = mkdtempSync(join(tmpdir(), 'ombud-gpg-'));
  const run = (args: string[], input?: Uint8Array | string) =>
    execFileSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--quiet', ...args], {
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  return {
    importKey(armored) {
      const file = join(home, 'import.asc');
      writeFileSync(file, armored);
      run(['--import', file]);
    },
    decrypt(message) {
      return run(['--decrypt'], message);
    },
    dispose() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** GnuPG's output is the padded plaintext (docs/protocol.md §5): length, data, filler. */
export function unpadGpgOutput(padded: Buffer): string {
  const length = padded.readUInt32BE(0);
  return padded.subarray(4, 4 + length).toString('utf8');
}
