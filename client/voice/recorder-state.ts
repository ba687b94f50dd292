/**
 * The voice recorder's state, apart from the page: which step the box is in,
 * whether the voice is disguised, the warning before switching the disguise
 * off, and what the status and error lines say. No DOM, no microphone, no
 * audio: ./recorder.ts does that work, reports each outcome as an event and
 * draws `visible(model)` and the lines.
 *
 *   idle ─start─▶ recording ─stopped─▶ processing ─processed─▶ ready
 *   ready ─setDisguise─▶ processing ─republished─▶ ready
 *   ready ─delete─▶ idle;   any ─failed | clear─▶ idle
 *
 * Every event is accepted in every state, with the outcome fixed by the event:
 * the microphone, the decoder and the disguise finish when they finish, and
 * the page acts on what they report (./recorder.ts drops a take that was
 * deleted or cleared while it was recorded).
 */
import type { CaptureProblem } from './capture.ts';

export type RecorderStep = 'idle' | 'recording' | 'processing' | 'ready';

/** What the status line says (role=status), if anything. */
export type RecorderStatus = 'recording' | 'limitReached' | 'processing' | 'ready' | 'deleted';

/** What the error line says (role=alert): why recording failed, or that playing did. */
export type RecorderProblem = CaptureProblem | 'playFailed';

export interface RecorderModel {
  step: RecorderStep;
  /** The voice sent is disguised (the default; switched off only after the warning). */
  disguised: boolean;
  /** "Switch the disguise off?" is open. */
  warning: boolean;
  status?: RecorderStatus;
  /** The error line is shown with this problem. */
  problem?: RecorderProblem;
}

export type RecorderEvent =
  /** Record was pressed: the lines are emptied while the microphone is asked for. */
  | { type: 'press' }
  /** The microphone records. */
  | { type: 'start' }
  /** The longest message was reached; the recording is being stopped. */
  | { type: 'limit' }
  /** The recording ended; it is decoded and disguised. */
  | { type: 'stopped' }
  /** The file to send is made. */
  | { type: 'processed' }
  /** Recording, decoding or disguising failed: the take is forgotten. */
  | { type: 'failed'; problem: RecorderProblem }
  | { type: 'delete' }
  | { type: 'askDisguiseOff' }
  | { type: 'keepDisguise' }
  /** The disguise is switched; the file is made again. */
  | { type: 'setDisguise'; on: boolean }
  /** The file was made again (`problem` if that failed; the earlier file stays). */
  | { type: 'republished'; problem?: RecorderProblem }
  /** Something went wrong that leaves the step as it is (the microphone refused, playing failed). */
  | { type: 'problem'; problem: RecorderProblem }
  /** The message was sent: everything is forgotten, both lines emptied. */
  | { type: 'clear' };

export const INITIAL: RecorderModel = { step: 'idle', disguised: true, warning: false };

/** A take is forgotten (deleted, failed, cleared): the next one is disguised again. */
const forgotten = (model: RecorderModel): RecorderModel => ({ ...model, step: 'idle', disguised: true, warning: false });

/** The model after `event`; the model given is not changed. */
export function transition(model: RecorderModel, event: RecorderEvent): RecorderModel {
  switch (event.type) {
    case 'press': return { ...model, status: undefined, problem: undefined };
    case 'start': return { ...model, step: 'recording', warning: false, status: 'recording' };
    case 'limit': return { ...model, status: 'limitReached' };
    case 'stopped': return { ...model, step: 'processing', warning: false, status: model.status === 'limitReached' ? 'limitReached' : 'processing' };
    case 'processed': return { ...model, step: 'ready', status: model.status === 'limitReached' ? 'limitReached' : 'ready' };
    case 'failed': return { ...forgotten(model), status: undefined, problem: event.problem };
    case 'delete': return { ...forgotten(model), status: 'deleted' };
    case 'askDisguiseOff': return { ...model, warning: true };
    case 'keepDisguise': return { ...model, warning: false };
    case 'setDisguise': return { ...model, step: 'processing', disguised: event.on, warning: false, status: 'processing' };
    case 'republished': return { ...model, step: 'ready', status: 'ready', problem: event.problem ?? model.problem };
    case 'problem': return { ...model, problem: event.problem };
    case 'clear': return { ...forgotten(model), status: undefined, problem: undefined };
  }
}

/** Which parts of the box are shown. */
export function visible(model: RecorderModel): Record<'record' | 'stop' | 'time' | 'preview' | 'warning' | 'disguiseOff' | 'disguiseOn', boolean> {
  const ready = model.step === 'ready';
  return {
    record: model.step === 'idle',
    stop: model.step === 'recording',
    time: model.step === 'recording' || ready,
    preview: ready,
    warning: ready && model.warning,
    disguiseOff: ready && model.disguised,
    disguiseOn: ready && !model.disguised,
  };
}
