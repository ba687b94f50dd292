/**
 * What the server says a channel offers (teams, their keys, languages): the
 * server's word only, checked against the link's pins (./pins.ts) before any
 * of it is used. Depends on nothing that waits (no translations), so that the
 * report page can ask for it as early as it can (client/report/first-channel.ts).
 */
import type { ChannelInfo } from '../../common/api.ts';
import { getJson } from './api.ts';

export function fetchChannel(slug: string): Promise<ChannelInfo> {
  return getJson<ChannelInfo>(`/api/channels/${encodeURIComponent(slug)}`);
}
