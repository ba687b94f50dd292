/** `npm run ombud -- setup-link`: a new one-time setup link, while no administrator exists. */
import { issueSetupToken, setupLink, SETUP_TOKEN_TTL_MS } from '../setup/setup-token.ts';
import { EXIT, parseOptions, type CliEnv, type CliOutput } from './io.ts';
import { openDataFolder } from './open-db.ts';

export const HELP = `Usage: npm run ombud -- setup-link

Prints a new one-time setup link for the first administrator of the Ombud
in OMBUD_DATA_DIR, at the address OMBUD_PUBLIC_URL. The link works once, for
${SETUP_TOKEN_TTL_MS / 3_600_000} hours, and replaces any earlier unused link (also the one the server
printed at start). The server may be running.

Once an administrator exists it refuses: administrators invite colleagues
from the workspace (account menu), and a team that lost every password
recovers with its recovery key.

Exit status: 0 a link was printed; 1 refused (an administrator exists);
2 wrong usage or no readable database.
`;

export function runSetupLink(args: readonly string[], env: CliEnv, io: CliOutput): number {
  if (parseOptions(args, {}).help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const folder = openDataFolder(env.dataDir, { now: env.now });
  try {
    if (folder.repos.investigators.adminExists()) {
      io.err('refused: this Ombud already has an administrator, and a setup link is only for the first one.');
      io.err('Administrators invite colleagues from the workspace (account menu); a team that lost every password recovers with its recovery key (/recover).');
      return EXIT.failed;
    }
    const { token } = issueSetupToken(folder);
    io.out('Open this link in a browser to set up Ombud (it works once, within 24 hours, for whoever opens it first):');
    io.out('');
    io.out(`    ${setupLink(env.publicUrl, token)}`);
    io.out('');
    io.out('Any earlier setup link no longer works.');
    return EXIT.ok;
  } finally {
    folder.close();
  }
}
