/**
 * "New report on behalf of a worker" (#/on-behalf): for a report received on
 * paper, in person or by phone (EU Directive 2019/1937 Art. 18). This browser
 * does what the worker's would (client/lib/report-sender.ts: token, secrets,
 * reporter key, proof of work, encryption to the teams and the reporter key,
 * intake), then shows the token to hand over (./slip.ts) and keeps it nowhere.
 * The only tie between this session and the case is the audit entry
 * case.entered_on_behalf (POST /api/team/on-behalf with the lookup id).
 *
 * Test hooks (ids): #on-behalf-link, #on-behalf-view, #on-behalf-form, #ob-channel, #ob-teams
 * (checkboxes), #ob-mode-paper / -in_person / -phone, #ob-lang, #ob-category, #ob-what, #ob-when,
 * #ob-where, #ob-ongoing, #ob-involved, #ob-wish, #ob-contact, #ob-submit, #ob-progress, #ob-error;
 * the result: see ./slip.ts.
 */
import type { CaseList, ChannelInfo } from '../../../common/api.ts';
import { t, tr } from '../../i18n/team.ts';
import { loadCrypto } from '../../lib/crypto.ts';
import { byId, focusOn, setBusy, show } from '../../lib/dom.ts';
import { NoTeamError, STEPS, fetchChannel, sendReport, type Step } from '../../lib/report-sender.ts';
import { PinError } from '../../lib/pins.ts';
import { teamGet, teamPost } from '../../accounts/api.ts';
import { problem } from '../../accounts/errors.ts';
import { session } from '../../accounts/keyring.ts';
import { refusalText, roots, TrustRefusal } from '../../accounts/trust.ts';
import { buildForm, readForm, showTeams, suggestChannels } from './form.ts';
import { clearSlip, showSlip } from './slip.ts';

let channel: ChannelInfo | undefined;
/** The name `channel` was looked up by. */
let channelSlug = '';
let sending = false;

/**
 * The recovery fingerprints this workspace may send to: its own team's and,
 * for the deployment team, the teams confirmed on the Teams page — all from the
 * key envelope (../trust.ts), none from the server. Empty before confirmation.
 */
function envelopePins(): string[] {
  return roots();
}

/** The look-up of the latest choice of channel while it runs; an earlier look-up that answers after it is dropped. */
let channelLoad: Promise<void> | undefined;
let channelRequest = 0;

/**
 * Shows the teams of the channel typed. Until its answer is in, the list is
 * empty (marked busy), never the previous channel's teams: ticks made there
 * would be lost when the new list replaced them, and the report would go to
 * the default team instead of the one ticked.
 */
function loadChannel(): Promise<void> {
  const slug = byId<HTMLInputElement>('ob-channel').value.trim().toLowerCase();
  const request = ++channelRequest;
  channel = undefined;
  showTeams(undefined, '', slug ? 'loading' : undefined);
  const load = (async () => {
    let loaded: ChannelInfo | undefined;
    if (slug) {
      try {
        loaded = await namedByKeys(await fetchChannel(slug));
      } catch {
        loaded = undefined;
      }
    }
    if (request !== channelRequest) return;
    channelLoad = undefined;
    channel = loaded;
    channelSlug = slug;
    showTeams(channel, session()?.investigator.teamId ?? '', channel ? slug : undefined);
  })();
  channelLoad = load;
  return load;
}

/**
 * The channel with each team's name taken from its recovery key (the name the
 * key was made with, client/lib/pins.ts does the same on the worker's form),
 * never from the server's field: a server that swapped two teams' names would
 * otherwise have the report go to the team the investigator did not tick. A
 * key that names no team keeps the server's name, marked. Which teams may be
 * sent to at all is still decided on send, against the envelope's roots.
 */
async function namedByKeys(answer: ChannelInfo): Promise<ChannelInfo> {
  const crypto = await loadCrypto();
  const teams = await Promise.all(answer.teams.map(async (team) => {
    const fromKey = await crypto.recoveryKeyTeamName(team.recoveryKey).catch(() => undefined);
    return { ...team, name: fromKey ?? t('onBehalf.nameUnconfirmed', { name: team.name }) };
  }));
  return { ...answer, teams };
}

function showProgress(step: Step, fraction?: number): void {
  const text = step === 'pow' ? t('onBehalf.step.pow', { percent: Math.round((fraction ?? 0) * 100) }) : t(`onBehalf.step.${step}`);
  tr(byId('ob-progress'), 'onBehalf.progress', { n: STEPS.indexOf(step) + 1, total: STEPS.length, text });
}

function fail(text: string, focusId?: string, refusal?: string): void {
  const error = byId('ob-error');
  error.textContent = text;
  if (refusal) error.setAttribute('data-trust-refusal', refusal);
  else error.removeAttribute('data-trust-refusal');
  show(error);
  focusOn(focusId ? byId(focusId) : error);
}

async function onSubmit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (sending) return;
  show(byId('ob-error'), false);
  if (channelLoad) {
    // Sent before the channel's teams were shown: show them and let the investigator look before sending.
    await channelLoad;
    return focusOn(byId('ob-teams'));
  }
  const read = readForm();
  if (!read.ok) return fail(t(read.problem), read.focus);
  if (!channel) return fail(t('onBehalf.noChannel'), 'ob-channel');
  const pins = envelopePins();
  if (pins.length === 0) return fail(refusalText(new TrustRefusal('no-root')), undefined, 'no-root');
  const form = byId<HTMLFormElement>('on-behalf-form');
  const crypto = await loadCrypto();
  let pair: Awaited<ReturnType<typeof crypto.generateKeyPair>> | undefined;
  sending = true;
  setBusy(form, true);
  try {
    const teams = channel.teams.filter((team) => read.teamIds.includes(team.id));
    const sent = await sendReport({
      channel, teams, content: read.content, onStep: showProgress,
      // No pinned link here: the envelope's roots are the pins (client/lib/pins.ts) — each chosen team's
      // recovery key must be one of them, and every key certified by it.
      trust: { kind: 'pins', fingerprints: pins },
      // A fresh pair for this report, wiped below: the worker unwraps it with the token on the status page.
      reporter: async () => (pair = await crypto.generateKeyPair({ kind: 'reporter' })),
    });
    let recorded = true;
    try {
      await teamPost<{ caseId: string }>('/api/team/on-behalf', { lookupId: sent.lookupId });
    } catch {
      recorded = false; // The report is in; the worker must still get the token.
    }
    form.reset();
    // The next report is likely from the same channel: it stays (its teams are fetched again for it).
    byId<HTMLInputElement>('ob-channel').value = channelSlug;
    show(form, false);
    await showSlip(crypto.formatToken(sent.token), sent.receipt, read.lang, recorded);
  } catch (error) {
    if (error instanceof PinError) fail(t('onBehalf.pinRefused', { team: error.teamName ?? '' }), undefined, error.problem === 'unpinned' ? 'unpinned' : 'uncertified');
    else fail(error instanceof NoTeamError ? t('onBehalf.needTeam') : problem(error));
  } finally {
    pair?.privateKey.wipe();
    sending = false;
    setBusy(form, false);
    byId('ob-progress').textContent = '';
  }
}

export function mountOnBehalf(): void {
  const form = byId<HTMLFormElement>('on-behalf-form');
  buildForm(form);
  form.addEventListener('submit', (event) => void onSubmit(event));
  byId('ob-channel').addEventListener('change', () => void loadChannel());
  byId('ob-done').addEventListener('click', () => {
    clearSlip();
    show(form);
    void loadChannel();
    focusOn(byId('on-behalf-heading'));
  });
}

export async function showOnBehalf(): Promise<void> {
  clearSlip();
  show(byId('on-behalf-form'));
  // The teams' keys are fetched afresh each time the form is shown: members may have joined since.
  void loadChannel();
  try {
    const { cases } = await teamGet<CaseList>('/api/cases');
    const slugs = cases.map((c) => c.channel.slug);
    suggestChannels(slugs);
    const input = byId<HTMLInputElement>('ob-channel');
    if (!input.value && slugs.length > 0 && new Set(slugs).size === 1) {
      input.value = slugs[0]!;
      await loadChannel();
    }
  } catch {
    // Suggestions only: the channel can still be typed.
  }
}

/** On sign-out: nothing of a report being entered, and no token, stays on the page. */
export function clearOnBehalf(): void {
  byId<HTMLFormElement>('on-behalf-form').reset();
  clearSlip();
  channel = undefined;
  channelSlug = '';
  channelLoad = undefined;
  channelRequest += 1; // a look-up still under way shows nothing after sign-out
}
