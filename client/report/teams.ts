/**
 * The worker's choice of who receives the report, on a channel that offers
 * more than one team (a factory's own grievance committee, the brand's CSR
 * team, …): one large checkbox per team with its name, what it is to these
 * workers (in the worker's language) and the administrator's note. The
 * channel's preselected teams start ticked; at least one stays ticked.
 *
 * The report and every attachment are encrypted to exactly the chosen teams
 * (./send.ts chosenTeams, ./attachments.ts): when the choice
 * changes, `onChange` tells the attachments to encrypt again, and a file
 * sealed for another choice is never sent (AttachmentBox.recipientsChanged).
 * With one team offered nothing is shown and nothing changes.
 *
 * Test hooks: #team-choice (fieldset), inputs #team-<id> (checkbox),
 * #team-choice-error (role=alert).
 */
import type { ChannelInfo } from '../../common/api.ts';
import { i18n, t, tr } from '../i18n/index.ts';
import { byId, h, show } from '../lib/dom.ts';
import { shownName, type CheckedTeam } from '../lib/pins.ts';

type Team = ChannelInfo['teams'][number];
/**
 * A team checked against the link's pins (../lib/pins.ts CheckedTeam): its name is the one its recovery key
 * names, or its name in the worker's language when an investigator key that key certified signed it.
 * A name in the worker's language is shown with the certified name under it, so the worker still sees
 * what the team's own key says it is.
 */
type ShownTeam = CheckedTeam;

/** The ids ticked on the form, per channel slug; absent until the form showed the choice. */
const chosen = new Map<string, Set<string>>();

/** The channel's default: its preselected teams (every team, if the data names none). */
function defaults(channel: { teams: readonly Team[] }): Set<string> {
  const preselected = channel.teams.filter((team) => team.preselected);
  return new Set((preselected.length > 0 ? preselected : channel.teams).map((team) => team.id));
}

/** The teams the worker chose, in the channel's order. */
export function chosenOf<T extends Team>(channel: { slug: string; teams: T[] }): T[] {
  if (channel.teams.length <= 1) return channel.teams;
  const ids = chosen.get(channel.slug) ?? defaults(channel);
  return channel.teams.filter((team) => ids.has(team.id));
}

function option(team: ShownTeam, ticked: boolean, onToggle: (input: HTMLInputElement) => void): HTMLElement {
  const input = h('input', { id: `team-${team.id}`, class: 'team-check', attrs: { type: 'checkbox' } });
  input.checked = ticked;
  input.addEventListener('change', () => onToggle(input));
  const role = team.role ? h('span', { class: 'team-role' }) : null;
  if (role && team.role) tr(role, `choose.role.${team.role}`);
  const describedBy = [role && `team-${team.id}-role`, team.note && `team-${team.id}-note`].filter(Boolean).join(' ');
  if (role) role.id = `team-${team.id}-role`;
  if (describedBy) input.setAttribute('aria-describedby', describedBy);
  const lang = i18n.lang();
  const name = shownName(team, lang);
  const local = name !== team.name;
  return h('label', { class: 'team-option', attrs: { for: input.id } },
    input,
    h('span', { class: 'team-text' },
      h('span', {
        class: 'team-name', text: name,
        attrs: { dir: 'auto', 'data-name-from-key': String(team.nameFromKey), 'data-name-lang': local ? lang : '' },
      }),
      local ? h('span', { class: 'team-name-certified', text: team.name, attrs: { dir: 'auto' } }) : null,
      team.nameFromKey ? null : h('span', { class: 'team-name-unconfirmed', text: t('choose.nameUnconfirmed') }),
      role,
      team.note ? h('span', { id: `team-${team.id}-note`, class: 'team-note', text: team.note, attrs: { dir: 'auto' } }) : null,
    ),
  );
}

/**
 * Shows the choice in #team-choice when the channel offers several teams;
 * `onChange(teams)` after each change (the chosen teams, never none).
 */
export function mountTeamChoice(channel: { slug: string; teams: ShownTeam[] }, onChange: (teams: ShownTeam[]) => void): void {
  const box = byId('team-choice');
  const error = byId('team-choice-error');
  if (channel.teams.length <= 1) return show(box, false);
  const ids = new Set(chosen.get(channel.slug) ?? defaults(channel));
  chosen.set(channel.slug, ids);
  const toggle = (input: HTMLInputElement) => {
    const id = input.id.slice('team-'.length);
    if (input.checked) ids.add(id);
    else if (ids.size === 1) {
      input.checked = true; // the last one stays: a report must reach someone
      tr(error, 'choose.keepOne');
      show(error);
      return;
    } else ids.delete(id);
    show(error, false);
    onChange(chosenOf(channel));
  };
  const render = () => byId('team-options').replaceChildren(...channel.teams.map((team) => option(team, ids.has(team.id), toggle)));
  render();
  if (!rerenders.has(channel.slug)) {
    rerenders.add(channel.slug);
    i18n.onChange(() => {
      if (byId('team-options').isConnected) render(); // the names follow the worker's language
    });
  }
  show(box);
}

/** Channels whose choice already re-renders on a change of language (one listener each). */
const rerenders = new Set<string>();
