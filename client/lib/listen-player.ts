/**
 * Plays what a listen block says (loaded only when a control is pressed):
 * fetches the language's manifest from this origin (/listen-<lang>.json),
 * turns the block's items into clips (common/listen.ts) and plays them one
 * after another on one <audio> element, with a short pause between parts.
 *
 * What reaches the server, and nothing else (docs/listening.md):
 * - requests go to this origin only (relative URLs; the CSP allows no other);
 * - the case number is never spelled out in requests: the ten digit clips
 *   are always fetched together, in the same order, into memory (blob:
 *   URLs) before any digit is played, so the server cannot learn a digit
 *   from which clip was asked for, or when;
 * - other clips say catalog texts, or days and stages the server itself sent.
 *
 * A catalog text's clip may be replaced by the deployment's own recording,
 * only when a key pinned in the worker's link vouches for it
 * (./listen-recorded.ts); the block is then marked "recorded by your
 * channel" beside its control. Days, counts and digits are always built.
 */
import { DIGIT_PIECES, PAUSE, itemClips, parseListen, type ListenItem, type PromptManifest } from '../../common/listen.ts';
import { i18n, t, type MessageKey } from '../i18n/index.ts';
import { recordedMark } from './listen-mark.ts';
import { recordedClips } from './listen-recorded.ts';

const PAUSE_MS = 350;
const manifests = new Map<string, Promise<PromptManifest>>();
const digitUrls = new Map<string, Promise<Record<string, string>>>();
let playing: { button: HTMLButtonElement; run: number } | undefined;
let runs = 0;

function manifestFor(lang: string): Promise<PromptManifest> {
  let manifest = manifests.get(lang);
  if (!manifest) {
    manifest = fetch(`/listen-${encodeURIComponent(lang)}.json`, { credentials: 'omit', referrerPolicy: 'no-referrer' }).then((response) => {
      if (!response.ok) throw new Error(`listen manifest: ${response.status}`);
      return response.json() as Promise<PromptManifest>;
    });
    manifest.catch(() => manifests.delete(lang));
    manifests.set(lang, manifest);
  }
  return manifest;
}

/** All ten digits at once, in a fixed order, kept in memory: which digits a number has never shows in a request. */
function digitsFor(lang: string, manifest: PromptManifest): Promise<Record<string, string>> {
  let urls = digitUrls.get(lang);
  if (!urls) {
    urls = Promise.all(
      DIGIT_PIECES.map(async (piece) => {
        const url = manifest.clips[piece.id];
        if (!url) throw new Error(`listen: no clip ${piece.id}`);
        const response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
        if (!response.ok) throw new Error(`listen clip: ${response.status}`);
        return [piece.id, URL.createObjectURL(await response.blob())] as const;
      }),
    ).then(Object.fromEntries);
    urls.catch(() => digitUrls.delete(lang));
    digitUrls.set(lang, urls);
  }
  return urls;
}

function audioElement(): HTMLAudioElement {
  let audio = document.getElementById('listen-audio') as HTMLAudioElement | null;
  if (!audio) {
    audio = document.createElement('audio');
    audio.id = 'listen-audio';
    audio.preload = 'none';
    document.body.append(audio);
  }
  return audio;
}

/** The raw catalog text of a key (placeholders kept), or undefined when the catalog has none. */
function rawText(key: string): string | undefined {
  const text = t(key as MessageKey);
  return text === key ? undefined : text;
}

/** `@id` → the catalog text that element shows now; its values as the page wrote them (a formatted day cannot be said). */
function current(item: ListenItem): ListenItem {
  if (item.kind !== 'element') return item;
  const el = document.getElementById(item.elementId);
  const key = el?.dataset.i18n;
  if (!el || !key) return item;
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(el.dataset.i18nVars ? (JSON.parse(el.dataset.i18nVars) as Record<string, unknown>) : {})) {
    vars[name] = String(value);
  }
  if (el.dataset.i18nCount !== undefined) vars.count = el.dataset.i18nCount;
  return { kind: 'text', key, vars };
}

function setPressed(button: HTMLButtonElement, pressed: boolean, failed = false): void {
  button.setAttribute('aria-pressed', String(pressed));
  if (failed) button.dataset.listenFailed = 'true';
  else delete button.dataset.listenFailed; // the label follows these attributes (./listen.ts)
}

/** "Recorded by your channel", beside the control, while what it plays is the deployment's own recording. */
function markRecorded(button: HTMLButtonElement, recorded: boolean): void {
  const mark = recordedMark(button);
  if (!recorded) {
    mark?.remove();
    delete button.dataset.recorded;
    return;
  }
  button.dataset.recorded = 'true';
  if (mark) return;
  const span = document.createElement('span');
  span.className = 'listen-recorded';
  span.dataset.listenRecorded = '';
  span.dataset.i18n = 'listen.recorded';
  span.textContent = t('listen.recorded');
  button.after(span);
}

export function stop(): void {
  if (!playing) return;
  const { button } = playing;
  playing = undefined;
  const audio = audioElement();
  audio.pause();
  audio.removeAttribute('src');
  setPressed(button, false);
}

/** The phone paused the clip itself (a call, another app's sound): the sequence ends there, unpressed. */
class PausedElsewhere extends Error {}

/** A clip that neither moves nor loads for this long has stalled (a dead connection): the control says it failed. */
const STALL_MS = 20_000;

function playOne(audio: HTMLAudioElement, url: string, run: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const events = {
      ended: () => settle(), error: () => settle(new Error('listen: the clip could not be played')), pause, timeupdate: watch, progress: watch,
    };
    function settle(error?: Error): void {
      clearTimeout(timer);
      for (const [type, listener] of Object.entries(events)) audio.removeEventListener(type, listener);
      if (error) reject(error);
      else resolve();
    }
    function pause(): void {
      if (audio.ended) return; // 'pause' comes just before 'ended'
      // Stopped by the worker (stop() has already let go of the run): the sequence ends where it is.
      if (playing?.run !== run) return settle();
      // Paused by the phone: the sequence ends, and does not go on to the next clip.
      settle(new PausedElsewhere('listen: paused by the phone'));
    }
    function watch(): void {
      clearTimeout(timer);
      timer = setTimeout(() => {
        audio.pause();
        settle(new Error('listen: the clip stalled'));
      }, STALL_MS);
    }
    for (const [type, listener] of Object.entries(events)) audio.addEventListener(type, listener);
    watch();
    audio.src = url;
    audio.play().catch((error: unknown) => {
      // A pause before playback began (the worker's stop, or the phone's) rejects play() with AbortError:
      // the 'pause' event says which. Anything else (NotAllowedError, NotSupportedError) fails the control.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      settle(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

/** Starts reading a block aloud, or stops it when it is the one playing. */
export async function toggle(button: HTMLButtonElement, block: HTMLElement): Promise<void> {
  const again = playing?.button === button;
  stop();
  if (again) return;
  const run = ++runs;
  playing = { button, run };
  setPressed(button, true);
  const lang = i18n.lang();
  try {
    const manifest = await manifestFor(lang);
    const clips: string[] = [];
    for (const item of parseListen(block.dataset.listen ?? '')) {
      const said = itemClips(lang, current(item), rawText, (id) => document.getElementById(id)?.textContent ?? undefined);
      if (!said || said.some((id) => id !== PAUSE && !manifest.clips[id])) {
        // Something here cannot be said in this language (a day beyond the recorded years…): hide the control, don't pretend.
        block.dataset.listenUnavailable = lang;
        throw new Error('listen: nothing recorded says this');
      }
      if (clips.length > 0) clips.push(PAUSE);
      clips.push(...said);
    }
    const digits = clips.some((id) => id.startsWith('digit.')) ? await digitsFor(lang, manifest) : {};
    const recorded = clips.some((id) => id.includes('#')) ? await recordedClips(lang, clips) : new Map<string, string>();
    if (playing?.run !== run) return;
    markRecorded(button, clips.some((id) => recorded.has(id)));
    const audio = audioElement();
    for (const id of clips) {
      if (playing?.run !== run) return;
      if (id === PAUSE) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      else await playOne(audio, digits[id] ?? recorded.get(id) ?? manifest.clips[id]!, run);
    }
    if (playing?.run === run) {
      playing = undefined;
      setPressed(button, false);
    }
  } catch (error) {
    if (playing?.run === run) {
      playing = undefined;
      setPressed(button, false, !(error instanceof PausedElsewhere)); // paused: not a failure, press again to hear it
    }
  }
}
