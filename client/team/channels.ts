/**
 * Intake channels, for deployment administrators (#/channels): every
 * channel with its languages, its teams and its pinned report link — built
 * here from the teams' recovery fingerprints (common/channel-link.ts), the
 * link the posters print — with links to print its poster and cards, and the
 * form to create or edit one (./channels-form.ts). The entry in the account
 * menu is shown only to deployment administrators; the server refuses
 * everyone else anyway (403 deployment_admin_only).
 *
 * Test hooks: #channels-link, #channels-view, #channels-heading,
 * #channels-new, #channels-status, #channels-list (li[data-slug], with
 * .channel-link[data-link], .channel-edit, .channel-poster, .channel-cards),
 * #channel-form (./channels-form.ts), #channels-notice.
 */
import type { AdminChannel, AdminChannelList, ChannelTeamChoices } from '../../common/api.ts';
import { channelLink } from '../../common/channel-link.ts';
import { httpOrigin } from '../lib/api-origin.ts';
import { formatDay, t, tr } from '../i18n/team.ts';
import { byId, focusOn, h, show } from '../lib/dom.ts';
import { teamGet } from '../accounts/api.ts';
import { channelForm, LANGUAGE_LABELS } from './channels-form.ts';
import { problem } from '../accounts/errors.ts';
import { isDeploymentAdmin } from '../accounts/keyring.ts';
import { posterHref } from './poster/links.ts';
import { mountPrompts, showPrompts } from './prompts.ts';


export function mountChannels(): void {
  const link = h('a', { id: 'channels-link', class: 'btn', attrs: { href: '#/channels' } });
  tr(link, 'channels.link');
  link.addEventListener('click', () => void (byId<HTMLDetailsElement>('account-menu').open = false));
  show(link, false);
  byId('logout').before(link);

  const heading = h('h1', { id: 'channels-heading' });
  tr(heading, 'channels.heading');
  const create = h('button', { id: 'channels-new', class: 'btn primary', attrs: { type: 'button' } });
  tr(create, 'channels.new');
  create.addEventListener('click', () => void edit(undefined));
  const intro = h('p', { class: 'muted' });
  tr(intro, 'channels.intro');
  const back = h('a', { attrs: { href: '#/' } });
  tr(back, 'case.back');
  byId('main').append(h('section', { id: 'channels-view', class: 'channels', attrs: { hidden: '', 'aria-labelledby': 'channels-heading' } },
    h('p', {}, back),
    h('div', { class: 'title-row' }, heading, create),
    intro,
    h('p', { id: 'channels-notice', class: 'notice', attrs: { role: 'status' }, text: '' }),
    h('p', { id: 'channels-status', class: 'muted', attrs: { role: 'status' } }),
    h('div', { id: 'channel-form-box' }),
    h('ul', { id: 'channels-list', class: 'channel-list' }),
  ));
  show(byId('channels-notice'), false);
  mountPrompts();
}

/** After each sign-in and route: the menu entry only for deployment administrators. */
export function showChannelsEntry(): void {
  show(byId('channels-link'), isDeploymentAdmin());
}

let teams: ChannelTeamChoices['teams'] = [];
let channels: AdminChannel[] = [];
/** OMBUD_WORKER_ORIGIN, as the server said: where the worker pages are served when not here. */
let workerOrigin: string | undefined;

export async function showChannels(): Promise<void> {
  const status = byId('channels-status');
  tr(status, 'channels.loading');
  byId('channel-form-box').replaceChildren();
  try {
    [{ channels, workerOrigin }, { teams }] = await Promise.all([
      teamGet<AdminChannelList>('/api/admin/channels'),
      teamGet<ChannelTeamChoices>('/api/admin/channel-teams'),
    ]);
    status.textContent = channels.length === 0 ? t('channels.none') : '';
    byId('channels-list').replaceChildren(...channels.map(item));
  } catch (error) {
    status.textContent = problem(error);
  }
  await showPrompts();
}

/** The link the posters print: the offered teams' recovery fingerprints, in channel order, in the fragment. */
export function reportLinkOf(channel: AdminChannel): string {
  return channelLink(httpOrigin(workerOrigin) ?? location.origin, channel.slug, channel.teams.map((team) => team.recoveryFingerprint));
}

function item(channel: AdminChannel): HTMLElement {
  const link = reportLinkOf(channel);
  const copied = h('span', { class: 'muted', attrs: { role: 'status' } });
  const copy = h('button', { class: 'btn small channel-copy', text: t('channels.copy'), attrs: { type: 'button' } });
  copy.addEventListener('click', async () => {
    await navigator.clipboard?.writeText(link).catch(() => undefined);
    copied.textContent = t('channels.copied');
  });
  const editButton = h('button', { class: 'btn small channel-edit', text: t('channels.edit'), attrs: { type: 'button' } });
  editButton.addEventListener('click', () => void edit(channel));
  const languages = channel.languages.map((code) => LANGUAGE_LABELS[code] ?? code).join(', ');
  return h('li', { class: 'channel-item work-panel', attrs: { 'data-slug': channel.slug } },
    h('h2', { text: channel.name, attrs: { dir: 'auto' } }),
    h('p', { class: 'muted', text: t('channels.slug', { slug: channel.slug }) }),
    h('p', { text: t('channels.languages', { languages }) }),
    h('p', { class: 'strong', text: t('channels.teams') }),
    h('ul', { class: 'plain-list channel-teams' }, ...channel.teams.map((team) =>
      h('li', { text: team.preselected ? `${team.name} — ${t('channels.ticked')}` : team.name }))),
    h('p', { class: 'strong', text: t('channels.reportLink') }),
    h('p', { class: 'channel-link', text: link, attrs: { 'data-link': link } }),
    h('div', { class: 'button-row' },
      copy,
      h('a', { class: 'btn small channel-poster', text: t('poster.link'), attrs: { href: posterHref(channel.slug), target: '_blank', rel: 'noopener' } }),
      h('a', { class: 'btn small channel-cards', text: t('poster.cardsLink'), attrs: { href: posterHref(channel.slug, 'cards'), target: '_blank', rel: 'noopener' } }),
      editButton,
      copied,
    ),
    channel.changedDay ? h('p', { class: 'muted', text: t('channels.changedDay', { day: formatDay(channel.changedDay) }) }) : null,
  );
}

async function edit(channel: AdminChannel | undefined): Promise<void> {
  show(byId('channels-notice'), false);
  const box = byId('channel-form-box');
  box.replaceChildren(channelForm({
    channel, teams,
    onCancel: () => box.replaceChildren(),
    onSaved: async (saved) => {
      await showChannels();
      const notice = byId('channels-notice');
      tr(notice, saved.pinsChanged ? 'channels.pinsChanged' : 'channels.saved');
      notice.classList.toggle('warn', saved.pinsChanged);
      show(notice);
      byId('channels-list').querySelector(`[data-slug="${saved.channel.slug}"]`)?.scrollIntoView({ block: 'nearest' });
      focusOn(notice);
    },
  }));
  focusOn(byId('channel-form-heading'));
}

/** When the keyring locks: nothing of the deployment's set-up stays on screen. */
export function clearChannels(): void {
  byId('channels-list').replaceChildren();
  byId('channel-form-box').replaceChildren();
  show(byId('channels-notice'), false);
}
