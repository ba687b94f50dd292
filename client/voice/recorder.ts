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
 * Test hooks (ids, with the prefix): -record, -stop, -time, -play, -delete,
 * -audio, -status (role=status), -error (role=alert), -disguise-state,
 * -disguise-off, -disguise-warning, -disguise-confirm, -disguise-keep,
 * -disguise-on. The host gets data-state = idle | recording | processing | ready.
 */
import { LIMITS } from '../../common/limits.ts';
import { tr, type MessageKey } from '../i18n/index.ts';
import { focusOn, h, show } from '../lib/dom.ts';
import { CaptureError, VOICE_SAMPLE_RATE, decodeToMono, startRecording, type Recording } from './capture.ts';
import { normalise, randomDisguise } from './disguise.ts';
import { disguiseInBackground } from './run-disguise.ts';
import { encodeWav } from './wav.ts';

export interface VoiceRecorderOptions {
  /** Prefix of every id inside (default 'voice'); two recorders on one page need two prefixes. */
  idPrefix?: string;
  onChange(file: File | null): void;
}

export interface VoiceRecorder {
  /** Forgets the recording (after the report is sent). Does not call onChange. */
  clear(): void;
}

type State = 'idle' | 'recording' | 'processing' | 'ready';

const PROBLEM_KEYS: Record<CaptureError['problem'], MessageKey> = {
  unsupported: 'voice.unsupported',
  denied: 'voice.denied',
  noMic: 'voice.noMic',
  failed: 'voice.failed',
};

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A big button with an icon and a text label, both visible. */
function iconButton(id: string, icon: string, key: MessageKey, extra = ''): HTMLButtonElement {
  const label = h('span');
  tr(label, key);
  return h('button', { id, class: `btn big voice-btn ${extra}`.trim(), attrs: { type: 'button' } }, h('span', { class: 'voice-icon', text: icon, attrs: { 'aria-hidden': 'true' } }), label);
}

function text(tag: 'p' | 'span', key: MessageKey, props: { id?: string; class?: string } = {}, vars?: Record<string, string | number>): HTMLElement {
  const el = h(tag, props);
  tr(el, key, vars);
  return el;
}

export function mountVoiceRecorder(host: HTMLElement, options: VoiceRecorderOptions): VoiceRecorder {
  const p = options.idPrefix ?? 'voice';
  const record = iconButton(`${p}-record`, '🎙', 'voice.record', 'primary');
  const stop = iconButton(`${p}-stop`, '⏹', 'voice.stop', 'danger');
  const play = iconButton(`${p}-play`, '▶', 'voice.play');
  const remove = iconButton(`${p}-delete`, '🗑', 'voice.delete', 'danger');
  const time = h('p', { id: `${p}-time`, class: 'voice-time', attrs: { 'aria-live': 'off' } });
  const status = h('p', { id: `${p}-status`, class: 'muted', attrs: { role: 'status', 'aria-live': 'polite' } });
  const error = h('p', { id: `${p}-error`, class: 'notice error', attrs: { role: 'alert' } });
  const audio = h('audio', { id: `${p}-audio`, attrs: { preload: 'auto' } });
  const disguiseState = h('p', { id: `${p}-disguise-state`, class: 'voice-disguise' });
  const disguiseOff = h('button', { id: `${p}-disguise-off`, class: 'btn', attrs: { type: 'button' } });
  tr(disguiseOff, 'voice.disguiseOff');
  const disguiseOn = h('button', { id: `${p}-disguise-on`, class: 'btn primary', attrs: { type: 'button' } });
  tr(disguiseOn, 'voice.disguiseOn');
  const confirm = h('button', { id: `${p}-disguise-confirm`, class: 'btn danger', attrs: { type: 'button' } });
  tr(confirm, 'voice.disguiseConfirm');
  const keep = h('button', { id: `${p}-disguise-keep`, class: 'btn primary', attrs: { type: 'button' } });
  tr(keep, 'voice.disguiseKeep');
  const warning = h('div', { id: `${p}-disguise-warning`, class: 'voice-warning', attrs: { role: 'alert' } }, text('p', 'voice.disguiseWarning', { class: 'warn' }), h('div', { class: 'button-row' }, keep, confirm));
  const preview = h('div', { class: 'voice-preview stack' }, h('div', { class: 'voice-buttons' }, play, remove), disguiseState, h('div', { class: 'button-row' }, disguiseOff, disguiseOn), warning);

  host.classList.add('voice');
  host.replaceChildren(
    text('p', 'voice.hint', { class: 'hint' }, { minutes: Math.round(LIMITS.voiceSeconds / 60) }),
    h('div', { class: 'voice-buttons' }, record, stop),
    time,
    status,
    error,
    preview,
    audio,
    text('p', 'voice.disguiseLimits', { class: 'hint' }),
  );

  let recording: Recording | undefined;
  let raw: Float32Array | undefined; // the real voice, 16 kHz mono; wiped on delete
  let disguised = true;
  let url: string | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let started = 0;

  function setState(next: State): void {
    host.dataset.state = next;
    show(record, next === 'idle');
    show(stop, next === 'recording');
    show(time, next === 'recording' || next === 'ready');
    show(preview, next === 'ready');
    if (next !== 'ready') show(warning, false);
    show(disguiseOff, next === 'ready' && disguised);
    show(disguiseOn, next === 'ready' && !disguised);
    tr(disguiseState, disguised ? 'voice.disguised' : 'voice.notDisguised');
    disguiseState.classList.toggle('warn', !disguised);
  }

  function fail(problem: MessageKey): void {
    tr(error, problem);
    show(error);
    focusOn(error);
  }

  function showTime(seconds: number): void {
    tr(time, 'voice.time', { elapsed: clock(seconds), max: clock(LIMITS.voiceSeconds) });
  }

  function setPlayLabel(playing: boolean): void {
    play.querySelector('.voice-icon')!.textContent = playing ? '⏸' : '▶';
    tr(play.lastElementChild as HTMLElement, playing ? 'voice.pause' : 'voice.play');
  }

  /** Encodes what will be sent (disguised unless chosen otherwise) and hands it to the page. */
  async function publish(): Promise<void> {
    const source = raw;
    if (!source) return;
    const samples = disguised ? await disguiseInBackground(source, VOICE_SAMPLE_RATE, randomDisguise()) : normalise(source.slice());
    if (raw !== source) return; // deleted or recorded again meanwhile
    const file = new File([encodeWav(samples, VOICE_SAMPLE_RATE)], 'voice-message.wav', { type: 'audio/wav' });
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(file);
    audio.src = url;
    showTime(samples.length / VOICE_SAMPLE_RATE);
    options.onChange(file);
  }

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
    disguised = true;
    setPlayLabel(false);
  }

  async function onRecord(): Promise<void> {
    show(error, false);
    status.textContent = '';
    try {
      recording = await startRecording();
    } catch (failure) {
      fail(failure instanceof CaptureError ? PROBLEM_KEYS[failure.problem] : 'voice.failed');
      return;
    }
    started = Date.now();
    showTime(0);
    setState('recording');
    tr(status, 'voice.recording');
    stop.focus();
    timer = setInterval(() => {
      const elapsed = (Date.now() - started) / 1000;
      showTime(Math.min(elapsed, LIMITS.voiceSeconds));
      if (elapsed >= LIMITS.voiceSeconds) {
        recording?.stop();
        tr(status, 'voice.limitReached', { max: clock(LIMITS.voiceSeconds) });
      }
    }, 250);
    const current = recording;
    try {
      const blob = await current.done;
      clearInterval(timer);
      if (recording !== current) return; // deleted meanwhile
      setState('processing');
      if (status.dataset.i18n !== 'voice.limitReached') tr(status, 'voice.processing');
      const samples = await decodeToMono(blob);
      raw = samples.length > VOICE_SAMPLE_RATE * LIMITS.voiceSeconds ? samples.slice(0, VOICE_SAMPLE_RATE * LIMITS.voiceSeconds) : samples;
      await publish();
      setState('ready');
      if (status.dataset.i18n !== 'voice.limitReached') tr(status, 'voice.ready');
      play.focus();
    } catch (failure) {
      forget();
      setState('idle');
      status.textContent = '';
      fail(failure instanceof CaptureError ? PROBLEM_KEYS[failure.problem] : 'voice.failed');
    }
  }

  record.addEventListener('click', () => void onRecord());
  stop.addEventListener('click', () => recording?.stop());
  play.addEventListener('click', () => {
    if (audio.paused) void audio.play().catch(() => fail('voice.playFailed'));
    else audio.pause();
  });
  audio.addEventListener('play', () => setPlayLabel(true));
  audio.addEventListener('pause', () => setPlayLabel(false));
  audio.addEventListener('ended', () => setPlayLabel(false));
  remove.addEventListener('click', () => {
    forget();
    setState('idle');
    tr(status, 'voice.deleted');
    options.onChange(null);
    record.focus();
  });
  disguiseOff.addEventListener('click', () => {
    show(warning);
    keep.focus();
  });
  keep.addEventListener('click', () => {
    show(warning, false);
    disguiseOff.focus();
  });
  /** Switches the disguise and makes the file again; the preview then plays what will be sent. */
  async function setDisguise(on: boolean): Promise<void> {
    disguised = on;
    audio.pause();
    setState('processing');
    tr(status, 'voice.processing');
    try {
      await publish();
    } catch {
      fail('voice.failed');
    }
    setState('ready');
    tr(status, 'voice.ready');
    (on ? disguiseOff : disguiseOn).focus();
  }

  confirm.addEventListener('click', () => void setDisguise(false));
  disguiseOn.addEventListener('click', () => void setDisguise(true));
  show(error, false);
  setState('idle');
  return {
    clear: () => {
      forget();
      setState('idle');
      status.textContent = '';
      show(error, false);
    },
  };
}
