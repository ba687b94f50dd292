/**
 * The deployment's teams (#/teams, administrators of the team that runs the
 * deployment): each team's name, members, and recovery key fingerprint in
 * groups of four (what a channel's link pins and a poster's key check
 * prints), and "Found a new team": a single-use link for the new team's first
 * administrator, shown once (server/teams/founding.ts). The founder's browser
 * makes the team's recovery key; this deployment never holds it.
 *
 * Test hooks: #teams-link, #teams-view, #teams-heading, #teams-list
 * (li[data-team-id], .fingerprint), #found-form, #found-team-name,
 * #found-founder-name, #found-submit, #found-error, #found-link (input,
 * read-only), #found-copy, #foundings-list (li[data-founding-id]).
 */
import type { DeploymentTeams, FoundingCreated } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import { t, tr } from '../i18n/team.ts';
import { byId, focusOn, h, setBusy, show } from '../lib/dom.ts';
import { teamGet, teamPost } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { groupFingerprint } from './fingerprint.ts';
import { roots } from '../accounts/trust.ts';
import { confirmTeamRoot } from './trust-setup.ts';
import { isDeploymentAdmin } from '../accounts/keyring.ts';


function field(id: string, key: Parameters<typeof tr>[1], max: number): HTMLElement {
  const label = h('label', { attrs: { for: id } });
  tr(label, key);
  return h('div', { class: 'field' }, label, h('input', { id, attrs: { type: 'text', maxlength: String(max), autocomplete: 'off' } }));
}

export function mountTeams(): void {
  const link = h('a', { id: 'teams-link', class: 'btn', attrs: { href: '#/teams' } });
  tr(link, 'teams.link');
  link.addEventListener('click', () => void (byId<HTMLDetailsElement>('account-menu').open = false));
  show(link, false);
  byId('logout').before(link);
  const heading = h('h1', { id: 'teams-heading' });
  tr(heading, 'teams.heading');
  const back = h('a', { attrs: { href: '#/' } });
  tr(back, 'case.back');
  const foundHeading = h('h2', { id: 'found-heading' });
  tr(foundHeading, 'teams.found.heading');
  const foundIntro = h('p', { class: 'muted' });
  tr(foundIntro, 'teams.found.intro');
  const submit = h('button', { id: 'found-submit', class: 'btn primary', attrs: { type: 'submit' } });
  tr(submit, 'teams.found.submit');
  const form = h('form', { id: 'found-form', class: 'stack narrow', attrs: { novalidate: '' } },
    foundHeading, foundIntro,
    field('found-team-name', 'teams.found.teamName', LIMITS.teamNameChars),
    field('found-founder-name', 'teams.found.founderName', LIMITS.displayNameChars),
    submit,
    h('p', { id: 'found-error', class: 'notice error', attrs: { role: 'alert', hidden: '' } }),
  );
  const copy = h('button', { id: 'found-copy', class: 'btn', attrs: { type: 'button' } });
  tr(copy, 'teams.found.copy');
  const once = h('p', { class: 'notice' });
  tr(once, 'teams.found.once');
  const result = h('div', { id: 'found-result', class: 'stack narrow', attrs: { hidden: '' } },
    once, h('input', { id: 'found-link', attrs: { type: 'text', readonly: '', 'aria-label': t('teams.found.linkLabel') } }), copy);
  byId('main').append(h('section', { id: 'teams-view', attrs: { hidden: '', 'aria-labelledby': 'teams-heading' } },
    h('p', {}, back), heading,
    h('p', { id: 'teams-status', class: 'muted', attrs: { role: 'status' } }),
    h('ul', { id: 'teams-list', class: 'team-list' }),
    form, result,
    h('ul', { id: 'foundings-list', class: 'team-list' }),
  ));
  form.addEventListener('submit', (event) => void found(event, form));
  copy.addEventListener('click', () => void navigator.clipboard?.writeText(byId<HTMLInputElement>('found-link').value).catch(() => undefined));
}

export function showTeamsEntry(): void {
  show(byId('teams-link'), isDeploymentAdmin());
}

async function found(event: SubmitEvent, form: HTMLFormElement): Promise<void> {
  event.preventDefault();
  const error = byId('found-error');
  show(error, false);
  const teamName = byId<HTMLInputElement>('found-team-name').value.trim();
  const founderName = byId<HTMLInputElement>('found-founder-name').value.trim();
  if (!teamName || !founderName) {
    tr(error, 'teams.found.required');
    return show(error);
  }
  setBusy(form, true);
  try {
    const created = await teamPost<FoundingCreated>('/api/teams/foundings', { teamName, founderName });
    form.reset();
    const link = byId<HTMLInputElement>('found-link');
    link.value = created.link;
    show(byId('found-result'));
    link.select();
    focusOn(link);
    await showTeams(false);
  } catch (failure) {
    error.textContent = problem(failure);
    show(error);
  } finally {
    setBusy(form, false);
  }
}

export async function showTeams(hideLink = true): Promise<void> {
  if (hideLink) clearLink();
  const status = byId('teams-status');
  let data: DeploymentTeams;
  try {
    data = await teamGet<DeploymentTeams>('/api/teams');
  } catch (failure) {
    status.textContent = problem(failure);
    return;
  }
  status.textContent = '';
  byId('teams-list').replaceChildren(...data.teams.map((team) => {
    const members = h('span', { class: 'muted' });
    members.textContent = t('teams.members', { count: team.members }) + (team.pending ? ` · ${t('teams.pending', { count: team.pending })}` : '');
    const fp = h('code', { class: 'fingerprint', text: groupFingerprint(team.recoveryFingerprint) });
    const fpLabel = h('span', { class: 'muted' });
    tr(fpLabel, 'teams.fingerprint');
    // v2 trust root: this workspace sends (on a worker's behalf) only to teams whose fingerprint is sealed in its envelope.
    const known = roots().includes(team.recoveryFingerprint.toLowerCase());
    const trust = known
      ? h('span', { class: 'badge', text: t('trust.teams.confirmed'), attrs: { 'data-team-trusted': team.id } })
      : h('button', { class: 'btn small', text: t('trust.teams.confirm'), attrs: { type: 'button', 'data-confirm-team': team.id } });
    if (!known) trust.addEventListener('click', async () => {
      if (await confirmTeamRoot(team)) await showTeams(false);
    });
    return h('li', { attrs: { 'data-team-id': team.id } }, h('strong', { text: team.name }), members, h('div', {}, fpLabel, ' ', fp, ' ', trust));
  }));
  byId('foundings-list').replaceChildren(...data.foundings.map((f) => {
    const revoke = h('button', { class: 'btn small danger', attrs: { type: 'button', 'data-revoke-founding': f.id } });
    tr(revoke, 'teams.found.revoke');
    revoke.addEventListener('click', async () => {
      revoke.disabled = true;
      await teamPost(`/api/teams/foundings/${encodeURIComponent(f.id)}/revoke`, {}).catch(() => undefined);
      await showTeams();
    });
    const what = h('span');
    tr(what, 'teams.found.pendingLink', { team: f.teamName, founder: f.founderName });
    return h('li', { attrs: { 'data-founding-id': f.id } }, what, revoke);
  }));
}

function clearLink(): void {
  byId<HTMLInputElement>('found-link').value = '';
  show(byId('found-result'), false);
}

export function clearTeams(): void {
  if (!document.getElementById('teams-list')) return;
  clearLink();
  byId('teams-list').replaceChildren();
  byId('foundings-list').replaceChildren();
}
