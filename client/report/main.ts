/**
 * The worker's report page (/r/:slug).
 *
 * Test hooks (ids): #lang-picker, #report-form, #cat-<key> (category buttons,
 * aria-pressed; keys in client/categories.ts), #f-what, #f-when, #f-where,
 * #f-ongoing-yes / #f-ongoing-no / #f-ongoing-unknown, #f-involved, #f-wish,
 * #f-contact, #send, #progress (role=status), #form-error (role=alert),
 * #channel-error, #receipt, #receipt-token (digits in groups),
 * #receipt-copy, #receipt-save, #receipt-print, #receipt-status-link,
 * #receipt-done, #receipt-closed; #attach-input (file input), #attach-list
 * (items with data-state), #attach-error; #report-form[data-groundwork=ready] once the
 * work done before send is (client/lib/groundwork.ts); the voice recorder's ids start with #voice-
 * (client/voice/recorder.ts).
 */
import type { ChannelInfo } from '../../common/api.ts';
// First: its chunk asks for the channel while the catalog below is still on its way (./first-channel.ts).
import { firstChannel, slug } from './first-channel.ts';
import { i18n, t, tr } from '../i18n/index.ts';
import { ApiError } from '../lib/api.ts';
import { loadCrypto, preloadCrypto } from '../lib/crypto.ts';
import { startGroundwork } from '../lib/groundwork.ts';
import { byId, focusOn, setBusy, show } from '../lib/dom.ts';
import { mountLanguagePicker } from '../lib/lang-picker.ts';
import { installListen } from '../lib/listen.ts';
import { trustRecordingsFrom } from '../lib/listen-trust.ts';
import { describeError } from '../lib/worker-errors.ts';
import { isTransient } from '../lib/resend.ts';
import { attachVoice } from '../voice/attach.ts';
import { mountVoiceRecorder } from '../voice/recorder.ts';
import { setupForm } from './form.ts';
import { showReceipt } from './receipt.ts';
import { NoTeamError, STEPS, type Step } from '../lib/report-sender.ts';
import { submitReport } from './send.ts';
import { AttachmentsNotReadyError, addAttachment, clearAttachments, mountAttachments, prepareAttachments, removeAttachment, resetUploads, teamsChanged } from './attachments.ts';
import { forgetReporterKey, reporterKey } from './reporter-key.ts';
import { linkTrust, PinError, shownName, verifyChannel, type CheckedTeam } from '../lib/pins.ts';
import { chosenOf, mountTeamChoice } from './teams.ts';
import { useChannelLanguages } from '../lib/channel-language.ts';

// The information page for this channel (who handles reports, time frames, where else to report).
// It carries the link's pins along, so the way back to the form still has them.
for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-info-link]')) link.href = `/r/${slug}/info${/^#pins=/.test(location.hash) ? location.hash : ''}`;
const formEl = byId<HTMLFormElement>('report-form');
const progress = byId('progress');
const formError = byId('form-error');
const form = setupForm();
/** The voice message joins the attachments (disguised unless the worker chose otherwise). */
const voiceAttachment = attachVoice({ add: addAttachment, remove: removeAttachment });
const voice = mountVoiceRecorder(byId('voice-box'), { say: tr, onChange: voiceAttachment.onChange });
let sending = false;

function showChannel(channel: ChannelInfo): void {
  tr(byId('report-channel'), 'report.channel', { channel: channel.name });
  void useChannelLanguages(channel.languages);
}

/**
 * Who can read it, once the link's pins vouched for the teams (./pins.ts):
 * each team named as its pinned recovery key names it, never by the server's
 * field alone (a server swapping two names cannot swap the boxes), and a name
 * the key does not confirm is marked so.
 */
function showTeams(channel: ChannelInfo & { teams: CheckedTeam[] }): void {
  const label = (team: CheckedTeam) => {
    const name = shownName(team, i18n.lang());
    return team.nameFromKey || name !== team.name ? name : `${name} ${t('choose.nameUnconfirmed')}`;
  };
  const readers = (teams: readonly CheckedTeam[]) => tr(byId('report-teams'), 'report.teams', { teams: teams.map(label).join(', ') });
  readers(chosenOf(channel));
  i18n.onChange(() => readers(chosenOf(channel)));
  mountTeamChoice(channel, (teams) => {
    readers(teams);
    teamsChanged(); // every file already encrypted is encrypted again, for exactly these teams
  });
}

function showProgress(step: Step, fraction?: number): void {
  const text = step === 'pow' ? t('progress.pow', { percent: Math.round((fraction ?? 0) * 100) }) : t(`progress.${step}`);
  tr(progress, 'progress.step', { n: STEPS.indexOf(step) + 1, total: STEPS.length, text });
}

/** The last failure, so that a change of language can say it again in the new language. */
let lastFailure: unknown;

/**
 * The link's pins do not vouch for what the server offered (./pins.ts): no
 * form, a warning in the worker's language saying what happened and what to
 * do, and nothing sent. #channel-error carries data-pins=<problem> and data-trust-refusal=<problem>.
 */
function showPinWarning(error: PinError): void {
  const box = byId('channel-error');
  const heading = document.createElement('strong');
  const text = document.createElement('p');
  tr(heading, 'pins.heading');
  tr(text, `pins.${error.problem}`, { team: error.teamName ?? '' });
  box.replaceChildren(heading, text);
  box.dataset.pins = error.problem;
  box.dataset.trustRefusal = error.problem; // the lying-server contract (tests/security/lying-server)
  show(box);
  show(formEl, false);
  focusOn(box);
}

function showError(error: unknown, focus = true): void {
  if (error instanceof PinError) return showPinWarning(error);
  lastFailure = error;
  if (isTransient(error)) {
    // No answer: the report may have arrived. It is held as it is; sending again cannot file it twice.
    tr(formError, 'net.unsure');
  } else {
    const reason = error instanceof NoTeamError ? t('error.noTeam')
      : error instanceof AttachmentsNotReadyError ? t('attach.notReady')
      : describeError(error);
    tr(formError, 'report.failed', { reason });
  }
  show(formError);
  if (focus) focusOn(formError);
}

async function onSubmit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (sending) return;
  show(formError, false);
  // A worker who only speaks: the voice message tells what happened.
  const what = byId<HTMLTextAreaElement>('f-what');
  if (!what.value.trim() && (await voiceAttachment.attached())) what.value = t('voice.inWhat');
  const content = form.read();
  if (!content) {
    tr(formError, 'report.needWhat');
    show(formError);
    form.focusWhat();
    return;
  }
  sending = true;
  setBusy(formEl, true);
  delete formEl.dataset.groundwork; // taken by this send
  try {
    tr(progress, 'attach.sending');
    const files = await prepareAttachments();
    if (files.metas.length > 0) content.attachments = files.metas;
    const { token, receipt } = await submitReport(slug, content, showProgress, files, () => tr(progress, 'net.waiting'));
    const crypto = await loadCrypto();
    clearAttachments();
    forgetReporterKey();
    form.clear();
    voice.clear();
    voiceAttachment.reset();
    show(formEl, false);
    showReceipt(crypto.formatToken(token), receipt);
  } catch (error) {
    if (error instanceof ApiError && /^upload_/.test(error.code)) resetUploads();
    showError(error);
  } finally {
    sending = false;
    setBusy(formEl, false);
    progress.textContent = '';
    delete progress.dataset.i18n;
  }
}

function stop(key: 'report.channelMissing' | 'error.noTeam'): void {
  tr(byId('channel-error'), key);
  show(byId('channel-error'));
  show(formEl, false); // the early form, if the page's inline script showed it
}

async function start(): Promise<void> {
  // The submit handler is in place before the whole form can be seen (the early form has no send button).
  formEl.addEventListener('submit', (event) => void onSubmit(event));
  mountLanguagePicker();
  installListen();
  const loading = byId('report-loading');
  show(loading);
  let offered: ChannelInfo | undefined;
  try {
    linkTrust(); // a link without pins is refused before anything is fetched
    offered = await firstChannel();
    if (offered.teams.length === 0) return stop('error.noTeam');
    // The deployment's own recordings play only when a recovery key this link pins vouches for their signer.
    const channel = offered;
    trustRecordingsFrom(async () => (await verifyChannel(channel)).teams.map((team) => team.recoveryKey));
    showChannel(offered);
  } catch (error) {
    if (error instanceof PinError) return showPinWarning(error);
    if (error instanceof ApiError && (error.status === 404 || error.code === 'channel_not_found')) return stop('report.channelMissing');
    // Other failures (no network yet): show the form anyway; sending fetches the channel again.
  } finally {
    show(loading, false);
  }
  mountAttachments(slug);
  // The whole form: until now, only its first screen showed (the early form, common/report-early-script.ts),
  // and what the worker wrote in it meanwhile stays in its text box.
  delete formEl.dataset.early;
  show(formEl);
  // Every offered key must be vouched for by the link's pins. Checked at once, but without holding the form
  // back for the crypto chunk (~150 KB, long on a slow phone network): a key the pins do not vouch for
  // replaces the form by the warning. Nothing is encrypted or sent before the same check passes again
  // (./attachments.ts for each file, ./submit.ts on send), so the order cannot leak anything.
  // The team choice is shown only from the checked answer: names from the pinned keys.
  const checked = offered ? verifyChannel(offered) : undefined;
  void checked?.then(showTeams, (error: unknown) => {
    if (error instanceof PinError) showPinWarning(error);
  });
  formEl.addEventListener('input', () => {
    if (formError.dataset.i18n === 'report.needWhat') show(formError, false);
  });
  // Once the worker starts: the crypto code, and then, if the link's pins vouched for the offered teams, the
  // work a report needs whatever it says (token, secrets, reporter key, proof of work: ../lib/groundwork.ts),
  // so that "send" leaves only the channel check, the encryption and the intake request. A form that is
  // about to be refused asks the server for nothing. Again on each focus: after a receipt, the next report.
  formEl.addEventListener('focusin', () => {
    preloadCrypto();
    void checked?.then(async () => {
      if (await startGroundwork(reporterKey)) formEl.dataset.groundwork = 'ready'; // a test hook
    }, () => undefined);
  });
  i18n.onChange(() => {
    if (progress.dataset.i18n) progress.textContent = '';
    if (!formError.hidden && formError.dataset.i18n === 'report.failed') showError(lastFailure, false);
  });
}

void start();
