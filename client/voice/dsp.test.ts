import { describe, expect, it } from 'vitest';
import { DISGUISE_RANGE, disguiseVoice, frequencyShift, pitchShift, randomDisguise } from './disguise.ts';
import { dominantFrequency, fft } from './fft.ts';
import { decodeWav, encodeWav } from './wav.ts';

const RATE = 16_000;

function sine(hz: number, seconds: number, amplitude = 0.5): Float32Array {
  const x = new Float32Array(Math.round(RATE * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / RATE);
  return x;
}

function rms(x: Float32Array): number {
  return Math.sqrt(x.reduce((sum, v) => sum + v * v, 0) / x.length);
}

describe('the WAV encoder', () => {
  it('writes a 16-bit mono PCM file that decodes back to the same samples', () => {
    const input = sine(440, 0.25);
    input[0] = 1;
    input[1] = -1;
    const bytes = encodeWav(input, RATE);
    expect(bytes.length).toBe(44 + input.length * 2);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    const { sampleRate, samples } = decodeWav(bytes);
    expect(sampleRate).toBe(RATE);
    expect(samples.length).toBe(input.length);
    expect(samples[0]).toBe(1);
    expect(samples[1]).toBe(-1);
    for (let i = 0; i < input.length; i++) expect(Math.abs(samples[i]! - input[i]!)).toBeLessThan(1 / 0x7fff);
  });

  it('clips samples outside [-1, 1] instead of wrapping around', () => {
    const { samples } = decodeWav(encodeWav(new Float32Array([2, -3]), RATE));
    expect([...samples]).toEqual([1, -1]);
  });

  it('refuses bytes that are not a WAV file', () => {
    expect(() => decodeWav(new TextEncoder().encode('OggS this is not a wav file'))).toThrow(/not a WAV/);
  });
});

describe('the FFT', () => {
  it('finds the frequency of a sine', () => {
    expect(dominantFrequency(sine(300, 1), RATE)).toBeCloseTo(300, -1);
  });

  it('gives back the signal after a forward and an inverse transform', () => {
    const re = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i) + i / 10);
    const im = new Float64Array(64);
    const copy = re.slice();
    fft(re, im);
    fft(re, im, true);
    for (let i = 0; i < 64; i++) expect(re[i]).toBeCloseTo(copy[i]!, 9);
  });
});

describe('the voice disguise', () => {
  it('moves a sine down by the requested semitones and keeps its length', () => {
    const input = sine(400, 1);
    const out = pitchShift(input, RATE, -4);
    expect(out.length).toBe(input.length);
    expect(dominantFrequency(out, RATE)).toBeCloseTo(400 * 2 ** (-4 / 12), -1); // ≈ 317 Hz
    expect(rms(out)).toBeGreaterThan(rms(input) * 0.5);
  });

  it('moves a sine up by the requested number of hertz', () => {
    const out = frequencyShift(sine(400, 1), RATE, 120);
    expect(dominantFrequency(out, RATE)).toBeCloseTo(520, -1);
  });

  it('breaks the harmonic ratios of a voice-like tone', () => {
    // 150 Hz with its 2nd harmonic: after the disguise the two peaks are no longer 1:2
    const x = sine(150, 1);
    const second = sine(300, 1, 0.3);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + second[i]!;
    const out = disguiseVoice(x, RATE, { semitones: -4, shiftHz: 120 });
    const low = dominantFrequency(out, RATE);
    expect(low).toBeCloseTo(150 * 2 ** (-4 / 12) + 120, -1); // ≈ 239 Hz
    expect(Math.max(...out.map(Math.abs))).toBeCloseTo(0.9, 5);
  });

  it('keeps the timing of speech: words start and stop where they did', () => {
    // 150 Hz "syllables" of 200 ms with 150 ms pauses between them
    const x = sine(150, 2);
    for (let i = 0; i < x.length; i++) if ((i / RATE) % 0.35 >= 0.2) x[i] = 0;
    const out = disguiseVoice(x, RATE, { semitones: -5, shiftHz: 150 });
    const envelope = (y: Float32Array) =>
      Array.from({ length: Math.floor(y.length / 320) }, (_, f) => rms(y.subarray(f * 320, (f + 1) * 320)));
    const a = envelope(x);
    const b = envelope(out);
    const mean = (v: number[]) => v.reduce((s, n) => s + n, 0) / v.length;
    const [ma, mb] = [mean(a), mean(b)];
    const cov = a.reduce((s, v, i) => s + (v - ma) * (b[i]! - mb), 0);
    const correlation = cov / Math.sqrt(a.reduce((s, v) => s + (v - ma) ** 2, 0) * b.reduce((s, v) => s + (v - mb) ** 2, 0));
    expect(correlation).toBeGreaterThan(0.9);
  });

  it('draws its settings inside the range, differently each time', () => {
    const draws = Array.from({ length: 20 }, randomDisguise);
    for (const d of draws) {
      expect(d.semitones).toBeGreaterThanOrEqual(DISGUISE_RANGE.semitones[0]);
      expect(d.semitones).toBeLessThanOrEqual(DISGUISE_RANGE.semitones[1]);
      expect(d.shiftHz).toBeGreaterThanOrEqual(DISGUISE_RANGE.shiftHz[0]);
      expect(d.shiftHz).toBeLessThanOrEqual(DISGUISE_RANGE.shiftHz[1]);
    }
    expect(new Set(draws.map((d) => d.semitones)).size).toBeGreaterThan(1);
  });

  it('keeps silence silent', () => {
    const out = disguiseVoice(new Float32Array(RATE), RATE, { semitones: -4, shiftHz: 120 });
    expect(out.every((v) => v === 0)).toBe(true);
  });
});
