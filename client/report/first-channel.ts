/**
 * The report page's first request for its channel, made as soon as the
 * page's scripts are in, beside the worker's language catalog instead of
 * after it.
 *
 * Why a module of its own, and its own chunk (an input in vite.config.ts):
 * client/i18n/index.ts waits (top-level await) for the catalog, and every
 * module that imports it, the page's entry included, runs only after that.
 * A chunk that does not import it runs as soon as the modules are linked, so
 * this fetch starts while the catalog is on its way. Merged into the page's
 * entry chunk, it would wait for the catalog like the rest.
 *
 * Usually the request is already on its way: the page's inline script
 * (common/report-early-script.ts) starts it while this module is still being
 * downloaded, and this one reads its answer.
 *
 * Only for a link that carries pins: a link without them (or with damaged
 * ones) is refused by the page before anything is read (../lib/pins.ts); the
 * inline script, which only looks for `#pins=`, may have asked for a damaged
 * link's channel, whose answer then stays unread.
 */
import type { ChannelInfo } from '../../common/api.ts';
import { readPins } from '../../common/channel-link.ts';
import { answerOf } from '../lib/api.ts';
import { fetchChannel } from '../lib/channel.ts';

export const slug = /^\/r\/([a-z0-9-]+)\/?$/.exec(location.pathname)?.[1] ?? '';

/** The request the page's inline script already made (common/report-early-script.ts), if it did: taken once. */
function early(): Promise<Response> | undefined {
  const w = window as unknown as { ombudFirstChannel?: Promise<Response> };
  const pending = w.ombudFirstChannel;
  delete w.ombudFirstChannel;
  return pending;
}

const made = early();
let first: Promise<ChannelInfo> | undefined = slug && readPins(location.hash).kind === 'pinned' ? (made ? answerOf<ChannelInfo>(made) : fetchChannel(slug)) : undefined;
// Its failure is the page's to show, when it asks for it (a rejection not yet asked for is not "unhandled").
first?.catch(() => undefined);

/** The answer to the first request, once; any later call asks the server again. */
export function firstChannel(): Promise<ChannelInfo> {
  const answer = first ?? fetchChannel(slug);
  first = undefined;
  return answer;
}
