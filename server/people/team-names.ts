/**
 * A team's name in the worker languages (docs/protocol.md, "v2: team names in
 * the worker's language"). An administrator's browser signs each name with
 * their own key; the server checks that signature by the same key before it
 * stores the set, so an honest server never hands the form a name the form
 * would refuse. The worker is protected by the form's own check
 * (client/lib/pins.ts), not by this one: the server could store anything.
 *
 * PUT replaces the whole set in one transaction: of 30 saves at once, the
 * stored set is one of them whole, never a mix.
 */
import type { TeamNames, TeamNamesView } from '../../common/api.ts';
import { verifyTeamName } from '../../crypto/index.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import { assertAdmin } from '../auth/policy.ts';
import { dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export function teamNamesOf(ctx: Pick<AppContext, 'repos'>, session: ActiveSession): TeamNamesView {
  return {
    teamId: session.team.id,
    recoveryFingerprint: session.team.recoveryFingerprint.toLowerCase(),
    names: ctx.repos.teamNames.ofTeam(session.team.id).map((n) => ({ lang: n.lang as TeamNames['names'][number]['lang'], name: n.name, signature: n.signature })),
  };
}

export async function saveTeamNames(ctx: AppContext, session: ActiveSession, body: TeamNames): Promise<TeamNamesView> {
  assertAdmin(session);
  const seen = new Set<string>();
  for (const entry of body.names) {
    if (seen.has(entry.lang)) throw new HttpError(400, 'team_name_language_twice', `a name for ${entry.lang} is given twice`);
    seen.add(entry.lang);
  }
  const team = session.team;
  const checks = await Promise.all(body.names.map((entry) => verifyTeamName({
    teamId: team.id, recovery: team.recoveryFingerprint.toLowerCase(), lang: entry.lang, name: entry.name,
    signature: entry.signature, publicKeys: [session.investigator.publicKey],
  })));
  const bad = body.names.find((_, i) => !checks[i]);
  if (bad) {
    throw new HttpError(400, 'team_name_signature_invalid', `the name for ${bad.lang} is not signed by your key over this team and language; save it again`);
  }
  ctx.repos.transaction(() => {
    ctx.repos.teamNames.replace(team.id, body.names, session.investigator.id, dayOf(ctx.clock.now()));
    ctx.audit.investigator('team.names_changed', session.investigator.id, null, { languages: body.names.map((n) => n.lang).join(',') });
  });
  return teamNamesOf(ctx, session);
}
