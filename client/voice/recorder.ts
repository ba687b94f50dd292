/**
 * The voice message box: record (up to LIMITS.voiceSeconds), stop, listen,
 * delete, with the voice disguised by default. Reusable: the report form and
 * the status page's reply box each mount one.
 *
 *   const voice = mountVoiceRecorder(container, { idPrefix: 'voice', onChange: (file) => … });
 *
 * `onChange` gets the WAV file to send (disguised unless the worker chose
 * otherwise after a warning), or null when there is none any more. The raw
 * recording never leaves this module. The page needs client/voice/voice.css.
 *
 * Its words come from the page's catalog through `say` (the worker pages
 * pass their `tr`; the team workspace maps each `voice.*` name to its own
 * catalog's key, since an investigator is told other things than a worker).
 *
 * Test hooks (ids, with the prefix): -record, -stop, -time, -play, -delete,
 * -audio, -status (role=status), -error (role=alert), -disguise-state,
 * -disguise-off, -disguise-warning, -disguise-confirm, -disguise-keep,
 * -disguise-on. The host gets data-state = idle | recording | processing | ready.
 *
 * What the box shows follows a small state machine without DOM
 * (./recorder-state.ts); this module builds the markup, draws the model, and
 * does the work (microphone, decoding, disguise, the file) that feeds it
 * events.
 */
import { LIMITS } from '../../common/limits.ts';
import { focusOn, h, show } from '../lib/dom.ts';
import { CaptureError, VOICE_SAMPLE_RATE, decodeToMono, startRecording, type Recording } from './capture.ts';
import { normalise, randomDisguise } from './disguise.ts';
import { disguiseInBackground } from './run-disguise.ts';
import {
  INITIAL, transition, visible, type RecorderEvent, type RecorderModel, type RecorderProblem, type RecorderStatus,
} from './recorder-state.ts';
import { encodeWav } from './wav.ts';

/** Every text the box shows, by its name in the worker catalog (client/i18n/en.ts). */
export const VOICE_TEXTS = [
  'voice.hint', 'voice.record', 'voice.stop', 'voice.play', 'voice.pause', 'voice.delete', 'voice.time',
  'voice.recording', 'voice.limitReached', 'voice.processing', 'voice.ready', 'voice.deleted',
  'voice.disguised', 'voice.notDisguised', 'voice.disguiseOff', 'voice.disguiseOn', 'voice.disguiseWarning',
  'voice.disguiseKeep', 'voice.disguiseConfirm', 'voice.disguiseLimits',
  'voice.unsupported', 'voice.denied', 'voice.noMic', 'voice.failed', 'voice.playFailed',
] as const;
export type VoiceText = (typeof VOICE_TEXTS)[number];

/** Puts a text into an element (and keeps it translated when the page's language changes). */
export type VoiceSay = (el: HTMLElement, key: VoiceText, vars?: Record<string, string | number>) => void;

export interface VoiceRecorderOptions {
  /** Prefix of every id inside (default 'voice'); two recorders on one page need two prefixes. */
  idPrefix?: string;
  /** The page's translator for the box's texts. */
  say: VoiceSay;
  onChange(file: File | null): void;
}

export interface VoiceRecorder {
  /** Forgets the recording (after the report is sent). Does not call onChange. */
  clear(): void;
}

const PROBLEM_KEYS: Record<RecorderProblem, VoiceText> = {
  unsupported: 'voice.unsupported',
  denied: 'voice.denied',
  noMic: 'voice.noMic',
  failed: 'voice.failed',
  playFailed: 'voice.playFailed',
};

const STATUS_KEYS: Record<RecorderStatus, VoiceText> = {
  recording: 'voice.recording',
  limitReached: 'voice.limitReached',
  processing: 'voice.processing',
  ready: 'voice.ready',
  deleted: 'voice.deleted',
};

const problemOf = (failure: unknown): RecorderProblem => (failure instanceof CaptureError ? failure.problem : 'failed');

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A big button with an icon and a text label, both visible. */
function iconButton(tr: VoiceSay, id: string, icon: string, key: VoiceText, extra = ''): HTMLButtonElement {
  const label = h('span');
  tr(label, key);
  return h('button', { id, class: `btn big voice-btn ${extra}`.trim(), attrs: { type: 'button' } }, h('span', { class: 'voice-icon', text: icon, attrs: { 'aria-hidden': 'true' } }), label);
}

function text(tr: VoiceSay, tag: 'p' | 'span', key: VoiceText, props: { id?: string; class?: string } = {}, vars?: Record<string, string | number>): HTMLElement {
  const el = h(tag, props);
  tr(el, key, vars);
  return el;
}

function button(tr: VoiceSay, id: string, cls: string, key: VoiceText): HTMLButtonElement {
  const el = h('button', { id, class: cls, attrs: { type: 'button' } });
  tr(el, key);
  return el;
}

/** The box's markup, put into `host`. */
function build(tr: VoiceSay, host: HTMLElement, p: string) {
  const parts = {
    record: iconButton(tr, `${p}-record`, '🎙', 'voice.record', 'primary'),
    stop: iconButton(tr, `${p}-stop`, '⏹', 'voice.stop', 'danger'),
    play: iconButton(tr, `${p}-play`, '▶', 'voice.play'),
    remove: iconButton(tr, `${p}-delete`, '🗑', 'voice.delete', 'danger'),
    time: h('p', { id: `${p}-time`, class: 'voice-time', attrs: { 'aria-live': 'off' } }),
    status: h('p', { id: `${p}-status`, class: 'muted', attrs: { role: 'status', 'aria-live': 'polite' } }),
    error: h('p', { id: `${p}-error`, class: 'notice error', attrs: { role: 'alert' } }),
    audio: h('audio', { id: `${p}-audio`, attrs: { preload: 'auto' } }),
    disguiseState: h('p', { id: `${p}-disguise-state`, class: 'voice-disguise' }),
    disguiseOff: button(tr, `${p}-disguise-off`, 'btn', 'voice.disguiseOff'),
    disguiseOn: button(tr, `${p}-disguise-on`, 'btn primary', 'voice.disguiseOn'),
    confirm: button(tr, `${p}-disguise-confirm`, 'btn danger', 'voice.disguiseConfirm'),
    keep: button(tr, `${p}-disguise-keep`, 'btn primary', 'voice.disguiseKeep'),
  };
  const warning = h('div', { id: `${p}-disguise-warning`, class: 'voice-warning', attrs: { role: 'alert' } }, text(tr, 'p', 'voice.disguiseWarning', { class: 'warn' }), h('div', { class: 'button-row' }, parts.keep, parts.confirm));
  const preview = h('div', { class: 'voice-preview stack' }, h('div', { class: 'voice-buttons' }, parts.play, parts.remove), parts.disguiseState, h('div', { class: 'button-row' }, parts.disguiseOff, parts.disguiseOn), warning);

  host.classList.add('voice');
  host.replaceChildren(
    text(tr, 'p', 'voice.hint', { class: 'hint' }, { minutes: Math.round(LIMITS.voiceSeconds / 60) }),
    h('div', { class: 'voice-buttons' }, parts.record, parts.stop),
    parts.time,
    parts.status,
    parts.error,
    preview,
    parts.audio,
    text(tr, 'p', 'voice.disguiseLimits', { class: 'hint' }),
  );
  return { ...parts, warning, preview };
}

type Parts = ReturnType<typeof build>;

/** Draws `model`; the status and error lines only when they changed (`before`), so nothing is announced twice. */
function render(tr: VoiceSay, host: HTMLElement, parts: Parts, model: RecorderModel, before?: RecorderModel): void {
  host.dataset.state = model.step;
  const shown = visible(model);
  for (const part of ['record', 'stop', 'time', 'preview', 'warning', 'disguiseOff', 'disguiseOn'] as const) show(parts[part], shown[part]);
  tr(parts.disguiseState, model.disguised ? 'voice.disguised' : 'voice.notDisguised');
  parts.disguiseState.classList.toggle('warn', !model.disguised);
  if (!before || before.status !== model.status) {
    if (model.status) tr(parts.status, STATUS_KEYS[model.status], model.status === 'limitReached' ? { max: clock(LIMITS.voiceSeconds) } : undefined);
    else parts.status.textContent = '';
  }
  if (model.problem && before?.problem !== model.problem) tr(parts.error, PROBLEM_KEYS[model.problem]);
  show(parts.error, model.problem !== undefined);
}

/** Shows the time recorded, four times a second; `onLimit` once the longest message is reached (and on each tick after). */
function countdown(showTime: (seconds: number) => void, onLimit: () => void): ReturnType<typeof setInterval> {
  const started = Date.now();
  return setInterval(() => {
    const elapsed = (Date.now() - started) / 1000;
    showTime(Math.min(elapsed, LIMITS.voiceSeconds));
    if (elapsed >= LIMITS.voiceSeconds) onLimit();
  }, 250);
}

function playLabel(tr: VoiceSay, play: HTMLButtonElement, playing: boolean): void {
  play.querySelector('.voice-icon')!.textContent = playing ? '⏸' : '▶';
  tr(play.lastElementChild as HTMLElement, playing ? 'voice.pause' : 'voice.play');
}

/** The buttons and the audio element, to what the recorder does. */
function wire(parts: Parts, on: {
  record(): void;
  stop(): void;
  remove(): void;
  problem(problem: RecorderProblem): void;
  playLabel(playing: boolean): void;
  dispatch(event: RecorderEvent): void;
  setDisguise(on: boolean): void;
}): void {
  const { record, stop, play, remove, audio, disguiseOff, disguiseOn, confirm, keep } = parts;
  record.addEventListener('click', on.record);
  stop.addEventListener('click', on.stop);
  play.addEventListener('click', () => {
    if (audio.paused) void audio.play().catch(() => on.problem('playFailed'));
    else audio.pause();
  });
  audio.addEventListener('play', () => on.playLabel(true));
  audio.addEventListener('pause', () => on.playLabel(false));
  audio.addEventListener('ended', () => on.playLabel(false));
  remove.addEventListener('click', on.remove);
  disguiseOff.addEventListener('click', () => {
    on.dispatch({ type: 'askDisguiseOff' });
    keep.focus();
  });
  keep.addEventListener('click', () => {
    on.dispatch({ type: 'keepDisguise' });
    disguiseOff.focus();
  });
  confirm.addEventListener('click', () => on.setDisguise(false));
  disguiseOn.addEventListener('click', () => on.setDisguise(true));
}

export function mountVoiceRecorder(host: HTMLElement, options: VoiceRecorderOptions): VoiceRecorder {
  const tr = options.say;
  const parts = build(tr, host, options.idPrefix ?? 'voice');
  const { record, stop, play, time, audio, disguiseOff, disguiseOn } = parts;
  let model = INITIAL;
  const dispatch = (event: RecorderEvent) => {
    const before = model;
    model = transition(model, event);
    render(tr, host, parts, model, before);
    if ('problem' in event && event.problem) focusOn(parts.error);
  };

  let recording: Recording | undefined;
  let raw: Float32Array | undefined; // the real voice, 16 kHz mono; wiped on delete
  let url: string | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const showTime = (seconds: number) => tr(time, 'voice.time', { elapsed: clock(seconds), max: clock(LIMITS.voiceSeconds) });
  const setPlayLabel = (playing: boolean) => playLabel(tr, play, playing);

  /** Encodes what will be sent (disguised unless chosen otherwise) and hands it to the page. */
  async function publish(): Promise<void> {
    const source = raw;
    if (!source) return;
    const samples = model.disguised ? await disguiseInBackground(source, VOICE_SAMPLE_RATE, randomDisguise()) : normalise(source.slice());
    if (raw !== source) return; // deleted or recorded again meanwhile
    const file = new File([encodeWav(samples, VOICE_SAMPLE_RATE)], 'voice-message.wav', { type: 'audio/wav' });
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(file);
    audio.src = url;
    showTime(samples.length / VOICE_SAMPLE_RATE);
    options.onChange(file);
  }

  /** Stops and wipes the take (the model goes back to a disguised idle with it). */
  function forget(): void {
    recording?.stop();
    recording = undefined;
    clearInterval(timer);
    audio.pause();
    audio.removeAttribute('src');
    if (url) URL.revokeObjectURL(url);
    url = undefined;
    raw?.fill(0);
    raw = undefined;
    setPlayLabel(false);
  }

  async function onRecord(): Promise<void> {
    dispatch({ type: 'press' });
    try {
      recording = await startRecording();
    } catch (failure) {
      return dispatch({ type: 'problem', problem: problemOf(failure) });
    }
    showTime(0);
    dispatch({ type: 'start' });
    stop.focus();
    timer = countdown(showTime, () => {
      recording?.stop();
      dispatch({ type: 'limit' });
    });
    const current = recording;
    try {
      const blob = await current.done;
      clearInterval(timer);
      if (recording !== current) return; // deleted meanwhile
      dispatch({ type: 'stopped' });
      const samples = await decodeToMono(blob);
      raw = samples.length > VOICE_SAMPLE_RATE * LIMITS.voiceSeconds ? samples.slice(0, VOICE_SAMPLE_RATE * LIMITS.voiceSeconds) : samples;
      await publish();
      dispatch({ type: 'processed' });
      play.focus();
    } catch (failure) {
      forget();
      dispatch({ type: 'failed', problem: problemOf(failure) });
    }
  }

  /** Switches the disguise and makes the file again; the preview then plays what will be sent. */
  async function setDisguise(on: boolean): Promise<void> {
    dispatch({ type: 'setDisguise', on });
    audio.pause();
    let problem: RecorderProblem | undefined;
    try {
      await publish();
    } catch {
      problem = 'failed';
    }
    dispatch({ type: 'republished', problem });
    (on ? disguiseOff : disguiseOn).focus();
  }

  wire(parts, {
    record: () => void onRecord(),
    stop: () => recording?.stop(),
    problem: (problem) => dispatch({ type: 'problem', problem }),
    playLabel: setPlayLabel,
    remove: () => {
      forget();
      dispatch({ type: 'delete' });
      options.onChange(null);
      record.focus();
    },
    dispatch,
    setDisguise: (on) => void setDisguise(on),
  });
  render(tr, host, parts, model);
  return {
    clear: () => {
      forget();
      dispatch({ type: 'clear' });
    },
  };
}
