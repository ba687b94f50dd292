/**
 * The information page: how reports are handled, for one channel
 * (/r/:slug/info) or in general (/info). Says who reads a report (the
 * channel's teams, and what each is to these workers), the time frames
 * (acknowledge within the channel's acknowledgeDays, feedback within 3
 * months), how anonymity is protected, where else a worker may report (the
 * general list, and the channel's own local places; which law protects that
 * depends on the country, so the page cites none) and what support exists, with the channel's local
 * information (who runs it, notes). Shown in the channel's languages
 * (../lib/channel-language.ts). Reads only the public channel data; sends
 * nothing. The administrator's text goes in through textContent only.
 *
 * Test hooks (ids): #lang-picker, #info-channel, #info-who, #info-teams (li
 * per team), #info-ack, #info-local, #info-run-by, #info-notes,
 * #info-contacts (li per place), #info-error (role=alert), #info-report (to
 * the report form), #info-status.
 */
import type { ChannelInfo } from '../../common/api.ts';
import { i18n, tr, trn } from '../i18n/index.ts';
import { getJson } from '../lib/api.ts';
import { useChannelLanguages } from '../lib/channel-language.ts';
import { byId, h, show } from '../lib/dom.ts';
import { mountLanguagePicker } from '../lib/lang-picker.ts';
import { installListen } from '../lib/listen.ts';

const slug = /^\/r\/([a-z0-9-]+)\/info\/?$/.exec(location.pathname)?.[1];

/** A phone number becomes a tel: link and a web address a link; anything else stays text. */
function reachOf(reach: string): HTMLElement {
  if (/^https?:\/\/\S+$/i.test(reach)) {
    return h('a', { text: reach, attrs: { href: reach, rel: 'noopener noreferrer', target: '_blank' } });
  }
  if (/^\+?[\d\s().-]{5,}$/.test(reach)) return h('a', { text: reach, attrs: { href: `tel:${reach.replace(/[^\d+]/g, '')}` } });
  return h('span', { text: reach });
}

function showTeams(channel: ChannelInfo): void {
  const names = channel.teams.map((team) => team.name).join(', ');
  if (channel.teams.length > 1) tr(byId('info-who'), 'info.whoChoose');
  else if (channel.teams.length === 1) tr(byId('info-who'), 'info.who', { teams: names });
  const list = byId('info-teams');
  list.replaceChildren(...(channel.teams.length > 1 ? channel.teams : []).map((team) => {
    const role = team.role ? h('span', { class: 'muted' }) : null;
    if (role && team.role) tr(role, `choose.role.${team.role}`);
    return h('li', {}, h('strong', { text: team.name, attrs: { dir: 'auto' } }), role && ' ', role,
      team.note ? h('span', { class: 'muted', text: ` ${team.note}`, attrs: { dir: 'auto' } }) : null);
  }));
  show(list, list.childElementCount > 0);
}

function showLocal(channel: ChannelInfo): void {
  const runBy = byId('info-run-by');
  if (channel.runBy) tr(runBy, 'info.runBy', { runBy: channel.runBy });
  show(runBy, channel.runBy !== '');
  const notes = byId('info-notes');
  notes.textContent = channel.notes;
  show(notes, channel.notes !== '');
  show(byId('info-local'), channel.runBy !== '' || channel.notes !== '');

  const contacts = byId('info-contacts');
  contacts.replaceChildren(...channel.contacts.map((c) =>
    h('li', { attrs: { dir: 'auto' } }, h('strong', { text: c.name }), ': ', reachOf(c.reach), c.note ? h('span', { class: 'muted', text: ` (${c.note})` }) : null)));
  show(contacts, channel.contacts.length > 0);
  show(byId('info-contacts-intro'), channel.contacts.length > 0);
}

function showChannel(channel: ChannelInfo): void {
  tr(byId('info-channel'), 'info.channel', { channel: channel.name });
  show(byId('info-channel'));
  showTeams(channel);
  trn(byId('info-ack'), 'info.ack', channel.acknowledgeDays);
  showLocal(channel);
  void useChannelLanguages(channel.languages);
}

async function main(): Promise<void> {
  mountLanguagePicker();
  installListen();
  if (!slug) return;
  const toReport = byId<HTMLAnchorElement>('info-report');
  // Keep the pins of the link the worker came with (docs/protocol.md, "Pinned keys"): the fragment is never sent.
  toReport.href = `/r/${slug}${/^#pins=/.test(location.hash) ? location.hash : ''}`;
  show(toReport);
  try {
    showChannel(await getJson<ChannelInfo>(`/api/channels/${encodeURIComponent(slug)}`));
  } catch {
    // The general rules below still hold; say that this link's details are missing.
    tr(byId('info-error'), 'report.channelMissing');
    show(byId('info-error'));
  }
}

i18n.apply();
void main();
