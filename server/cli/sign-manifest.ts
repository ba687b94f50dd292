/**
 * `npm run ombud -- sign-manifest --key FILE [--client-dir DIR]`: signs the
 * built client's manifest with the release secret key, writing
 * `.well-known/ombud/manifest.json.asc` beside it. Run by whoever holds the
 * release key (not CI, not the server), after checking that the folder is
 * what the manifest says. `gpg --armor --detach-sign` over the manifest does
 * the same with a key kept in GnuPG (docs/verifying.md).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH } from '../../common/release-manifest.ts';
import { signManifest, verifyManifestSignature } from '../../crypto/release-signature.ts';
import { compareFiles, hashClientFiles, readClientManifest } from '../release/client-files.ts';
import { EXIT, parseOptions, UsageError, type CliOutput } from './io.ts';

export const HELP = `Usage: npm run ombud -- sign-manifest --key FILE [--client-dir DIR] [--public-key FILE]

Signs the client manifest DIR${MANIFEST_PATH} (DIR: default dist/client)
with the release secret key in FILE (armored OpenPGP, not passphrase-
protected: keep it on a RAM disk or offline machine), writing the detached
signature to DIR${MANIFEST_SIGNATURE_PATH}. Refuses when the folder's files
differ from the manifest. With --public-key, also checks the new signature
against the public key the servers are configured with (OMBUD_RELEASE_KEY_FILE).

Exit status: 0 signed; 1 refused (the folder differs, the key does not
match); 2 wrong usage.
`;

export async function runSignManifest(args: readonly string[], io: CliOutput): Promise<number> {
  const values = parseOptions(args, { key: { type: 'string' }, 'client-dir': { type: 'string' }, 'public-key': { type: 'string' } });
  if (values.key === undefined) throw new UsageError('--key FILE is required: the release secret key (try --help)');
  if (!existsSync(values.key)) throw new UsageError(`the key file ${values.key} does not exist`);
  const dir = values['client-dir'] ?? 'dist/client';
  const { manifest, bytes } = readClientManifest(dir);
  const differences = compareFiles(hashClientFiles(dir), manifest.files);
  if (differences.length > 0) {
    for (const line of differences) io.err(line);
    io.err(`not signed: ${dir} differs from its manifest; rebuild it`);
    return EXIT.failed;
  }
  const signature = await signManifest(bytes, readFileSync(values.key, 'utf8'));
  if (values['public-key'] !== undefined) {
    try {
      await verifyManifestSignature(bytes, signature, readFileSync(values['public-key'], 'utf8'));
    } catch (error) {
      io.err(`not signed: ${(error as Error).message} (${values['public-key']})`);
      return EXIT.failed;
    }
  }
  writeFileSync(join(dir, MANIFEST_SIGNATURE_PATH), signature, { mode: 0o644 });
  io.out(`Signed ${join(dir, MANIFEST_PATH)} (${manifest.version}, ${manifest.commit}): ${join(dir, MANIFEST_SIGNATURE_PATH)}`);
  return EXIT.ok;
}
