/**
 * The information page: how reports are handled, for one channel
 * (/r/:slug/info) or in general (/info). Says who reads a report (the
 * channel's teams), the time frames (acknowledge within the channel's
 * acknowledgeDays, feedback within 3 months), how anonymity is protected,
 * where else a worker may report (EU Directive 2019/1937 Art. 9(1)(g)) and
 * what support exists. Reads only the public channel data; sends nothing.
 *
 * Test hooks (ids): #lang-picker, #info-channel, #info-who, #info-ack,
 * #info-error (role=alert), #info-report (to the report form), #info-status.
 */
import type { ChannelInfo } from '../../common/api.ts';
import { i18n, tr, trn } from '../i18n/index.ts';
import { getJson } from '../lib/api.ts';
import { byId, show } from '../lib/dom.ts';
import { mountLanguagePicker } from '../lib/lang-picker.ts';

const slug = /^\/r\/([a-z0-9-]+)\/info\/?$/.exec(location.pathname)?.[1];

function showChannel(channel: ChannelInfo): void {
  tr(byId('info-channel'), 'info.channel', { channel: channel.name });
  show(byId('info-channel'));
  if (channel.teams.length > 0) {
    tr(byId('info-who'), 'info.who', { teams: channel.teams.map((team) => team.name).join(', ') });
  }
  trn(byId('info-ack'), 'info.ack', channel.acknowledgeDays);
}

async function main(): Promise<void> {
  mountLanguagePicker();
  if (!slug) return;
  const toReport = byId<HTMLAnchorElement>('info-report');
  toReport.href = `/r/${slug}`;
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
