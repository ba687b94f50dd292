/**
 * Voice disguise: pure DSP over mono float samples, no Web Audio, so that it
 * runs (and is tested) in Node as it does in the browser.
 *
 * Two steps, applied to the whole recording:
 *
 * 1. **Pitch shift without tempo change**: the recording is resampled by
 *    `2^(semitones/12)` (slower and deeper), then brought back to its length
 *    by overlap-adding short grains at the original pace (WSOLA). Pitch and formants (the
 *    resonances of the speaker's throat and mouth) both move by the factor, so
 *    the voice sounds like a different, deeper person talking at the same speed.
 * 2. **Frequency shift** (single-sideband, through the analytic signal): every
 *    frequency is moved up by the same number of hertz. Unlike a pitch shift
 *    this is not a scaling, so it breaks the harmonic ratios of the voice and
 *    warps its formants unevenly (f → a·f + b). A listener cannot undo it with
 *    a pitch shifter, and undoing it at all means guessing both amounts, which
 *    are drawn at random for each recording (`randomDisguise`).
 *
 * What it does NOT hide: the words, the way of speaking, the accent, the
 * background noise. The UI says so.
 */
import { fft } from './fft.ts';

export interface DisguiseSettings {
  /** Pitch change in semitones (negative is deeper). */
  semitones: number;
  /** Upward frequency shift in hertz. */
  shiftHz: number;
}

/** Ranges for `randomDisguise`: always at least 3 semitones deeper and 90 Hz shifted. */
export const DISGUISE_RANGE = { semitones: [-5, -3], shiftHz: [90, 150] } as const;

/** Settings drawn uniformly from DISGUISE_RANGE with crypto.getRandomValues (no Math.random). */
export function randomDisguise(): DisguiseSettings {
  const [a, b] = crypto.getRandomValues(new Uint32Array(2));
  const pick = ([lo, hi]: readonly [number, number], u: number) => lo + ((hi - lo) * u) / 0xffffffff;
  return { semitones: pick(DISGUISE_RANGE.semitones, a!), shiftHz: pick(DISGUISE_RANGE.shiftHz, b!) };
}

/** Periodic Hann window: at a hop of half its length, the windows sum to exactly 1. */
function hann(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
  return w;
}

/** Linear interpolation, zero outside the signal. */
function sampleAt(x: Float32Array, position: number): number {
  const i = Math.floor(position);
  if (i < 0 || i + 1 >= x.length) return i === x.length - 1 ? x[i]! : 0;
  const frac = position - i;
  return x[i]! * (1 - frac) + x[i + 1]! * frac;
}

/** Reads `x` at `ratio` speed (pitch and tempo both change by the ratio). */
function resample(x: Float32Array, ratio: number): Float32Array {
  const out = new Float32Array(Math.floor((x.length - 1) / ratio) + 1);
  for (let i = 0; i < out.length; i++) out[i] = sampleAt(x, i * ratio);
  return out;
}

/**
 * Time-stretches `y` to `length` samples without changing its pitch (WSOLA:
 * 40 ms Hann frames at 50 % overlap, each taken from within ±8 ms of its
 * nominal place where it best continues the previous frame, so grains join
 * in phase and the stretch does not buzz at the frame rate).
 */
function stretch(y: Float32Array, length: number, sampleRate: number): Float32Array {
  const frame = Math.max(16, Math.round(sampleRate * 0.04) & ~1);
  const hop = frame / 2;
  const tolerance = Math.round(sampleRate * 0.008);
  const window = hann(frame);
  const out = new Float32Array(length);
  const inputHop = (hop * y.length) / length;
  const at = (i: number) => (i >= 0 && i < y.length ? y[i]! : 0);
  let previous = 0; // where the last frame was taken from
  for (let k = 0; k * hop < length; k++) {
    const nominal = Math.round(k * inputHop);
    let best = nominal;
    if (k > 0) {
      // This frame starts where the previous one is half done: from `previous`
      // on, the previous frame's input would have gone on naturally.
      let bestScore = -Infinity;
      for (let delta = -tolerance; delta <= tolerance; delta++) {
        const candidate = nominal + delta;
        let score = 0;
        for (let j = 0; j < hop; j += 2) score += at(previous + j) * at(candidate - hop + j);
        if (score > bestScore) {
          bestScore = score;
          best = candidate;
        }
      }
    }
    previous = best;
    const outStart = k * hop - hop; // the first frame starts half in the past, so every sample gets two frames
    for (let j = 0; j < frame; j++) {
      const o = outStart + j;
      if (o >= 0 && o < length) out[o] = out[o]! + window[j]! * at(best - hop + j);
    }
  }
  return out;
}

/** Changes pitch by `semitones` and keeps the length and tempo (resampling, then WSOLA). */
export function pitchShift(x: Float32Array, sampleRate: number, semitones: number): Float32Array {
  return stretch(resample(x, 2 ** (semitones / 12)), x.length, sampleRate);
}

/** Moves every frequency up by `hz` (single-sideband modulation, block-wise analytic signal). */
export function frequencyShift(x: Float32Array, sampleRate: number, hz: number): Float32Array {
  const block = 4096;
  const size = block * 2; // zero padding leaves room for the Hilbert filter's tails
  const hop = block / 2; // periodic Hann at 50 % overlap sums to 1
  const window = hann(block);
  const out = new Float32Array(x.length);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const step = (2 * Math.PI * hz) / sampleRate;
  for (let start = -hop; start < x.length; start += hop) {
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < block; i++) {
      const at = start + i;
      if (at >= 0 && at < x.length) re[i + block / 2] = x[at]! * window[i]!;
    }
    fft(re, im);
    // analytic signal: double the positive frequencies, drop the negative ones
    for (let k = 1; k < size / 2; k++) {
      re[k] = re[k]! * 2;
      im[k] = im[k]! * 2;
    }
    re.fill(0, size / 2 + 1);
    im.fill(0, size / 2 + 1);
    fft(re, im, true);
    for (let i = 0; i < size; i++) {
      const at = start - block / 2 + i;
      if (at < 0 || at >= x.length) continue;
      const phase = step * at;
      out[at] = out[at]! + re[i]! * Math.cos(phase) - im[i]! * Math.sin(phase);
    }
  }
  return out;
}

/** Scales to a peak of 0.9 (a silent recording stays silent). */
export function normalise(x: Float32Array, peak = 0.9): Float32Array {
  let max = 0;
  for (const v of x) max = Math.max(max, Math.abs(v));
  if (max > 0) for (let i = 0; i < x.length; i++) x[i] = (x[i]! * peak) / max;
  return x;
}

export function disguiseVoice(x: Float32Array, sampleRate: number, settings: DisguiseSettings): Float32Array {
  return normalise(frequencyShift(pitchShift(x, sampleRate, settings.semitones), sampleRate, settings.shiftHz));
}
