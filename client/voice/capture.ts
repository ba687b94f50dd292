/**
 * The microphone side of a voice message: asks for the microphone, records
 * with MediaRecorder, and turns the recording into 16 kHz mono samples with
 * an OfflineAudioContext. The MediaRecorder's own file (WebM/Ogg, with the
 * real voice) stays in this module's memory and never leaves the phone.
 */

export const VOICE_SAMPLE_RATE = 16_000;

/** Why recording could not start or finish, as the UI explains it. */
export type CaptureProblem = 'unsupported' | 'denied' | 'noMic' | 'failed';

export class CaptureError extends Error {
  constructor(readonly problem: CaptureProblem, cause?: unknown) {
    super(`voice capture: ${problem}`, { cause });
  }
}

function problemOf(error: unknown): CaptureProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'noMic';
  return 'failed';
}

export function canRecord(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && typeof MediaRecorder !== 'undefined';
}

export interface Recording {
  /** Resolves with the recorded file once `stop()` is called (or the stream ends). */
  done: Promise<Blob>;
  stop(): void;
}

/** Starts recording from the microphone. Throws CaptureError if it cannot. */
/** `audioBitsPerSecond`: a lower rate for recordings that must stay small (a listen prompt: at most 1 MiB for 3 minutes). */
export async function startRecording(options: { audioBitsPerSecond?: number } = {}): Promise<Recording> {
  if (!canRecord()) throw new CaptureError('unsupported');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 },
    });
  } catch (error) {
    throw new CaptureError(problemOf(error), error);
  }
  const release = () => stream.getTracks().forEach((track) => track.stop());
  let recorder: MediaRecorder;
  try {
    recorder = new MediaRecorder(stream, options.audioBitsPerSecond ? { audioBitsPerSecond: options.audioBitsPerSecond } : {});
  } catch (error) {
    release();
    throw new CaptureError('failed', error);
  }
  const chunks: Blob[] = [];
  const done = new Promise<Blob>((resolve, reject) => {
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    recorder.addEventListener('stop', () => {
      release();
      if (chunks.length === 0) reject(new CaptureError('failed'));
      else resolve(new Blob(chunks, { type: recorder.mimeType }));
    });
    recorder.addEventListener('error', (event) => {
      release();
      reject(new CaptureError('failed', event));
    });
    // a microphone unplugged mid-way ends the track: keep what was recorded
    for (const track of stream.getTracks()) track.addEventListener('ended', () => recorder.state !== 'inactive' && recorder.stop());
  });
  recorder.start(1000);
  return {
    done,
    stop: () => {
      if (recorder.state !== 'inactive') recorder.stop();
    },
  };
}

/** Decodes a recording to mono samples at VOICE_SAMPLE_RATE. */
export async function decodeToMono(recording: Blob): Promise<Float32Array> {
  let buffer: AudioBuffer;
  try {
    const context = new OfflineAudioContext(1, 1, VOICE_SAMPLE_RATE);
    buffer = await context.decodeAudioData(await recording.arrayBuffer());
  } catch (error) {
    throw new CaptureError('failed', error);
  }
  const mono = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const channel = buffer.getChannelData(c);
    for (let i = 0; i < mono.length; i++) mono[i] = mono[i]! + channel[i]! / buffer.numberOfChannels;
  }
  return mono;
}
