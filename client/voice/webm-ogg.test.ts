import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectPromptAudio } from '../../common/prompt-audio.ts';
import { opusPacketSamples, readWebmOpus, WebmError, webmOpusToOgg } from './webm-ogg.ts';

/** 2.5 s recorded by Chromium 156's MediaRecorder (audio/webm;codecs=opus) from a fake microphone playing espeak-ng. */
const recorded = readFileSync(new URL('./fixtures/chromium-recorder.webm', import.meta.url));

describe('a WebM/Opus recording remuxed to Ogg Opus', () => {
  it('passes the server’s checker, lasts as long as it was recorded, and opusdec decodes it', () => {
    const ogg = webmOpusToOgg(recorded);
    const inspected = inspectPromptAudio(ogg);
    expect(inspected).toMatchObject({ ok: true, container: 'ogg-opus' });
    expect(inspected.ok && inspected.durationMs).toBeGreaterThan(2000);
    expect(inspected.ok && inspected.durationMs).toBeLessThan(3200);
    const wav = execFileSync('opusdec', ['--quiet', '-', '-'], { input: ogg, maxBuffer: 16 << 20 });
    expect(wav.length).toBeGreaterThan(48_000 * 2 * 2); // over two seconds of 16-bit 48 kHz samples
  });

  it('copies the packets unchanged and is deterministic', () => {
    const { packets } = readWebmOpus(recorded);
    expect(packets.length).toBeGreaterThan(30); // Chromium writes 60 ms packets
    expect(Buffer.compare(webmOpusToOgg(recorded), webmOpusToOgg(recorded))).toBe(0);
    const ogg = Buffer.from(webmOpusToOgg(recorded));
    expect(ogg.includes(Buffer.from(packets[20]!))).toBe(true);
  });

  it('counts samples from the TOC byte', () => {
    expect(opusPacketSamples(Uint8Array.of(0xfc))).toBe(960); // CELT 20 ms, one frame
    expect(opusPacketSamples(Uint8Array.of(0x19))).toBe(2880 * 2); // SILK 60 ms, two frames
    expect(opusPacketSamples(Uint8Array.of(0xfb, 0x03))).toBe(960 * 3); // code 3, three frames
  });

  it.each([
    ['a file cut short', () => recorded.subarray(0, recorded.length - 7)],
    ['an Ogg file', () => execFileSync('opusenc', ['--quiet', '-', '-'], { input: execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', 'hi']) })],
    ['another codec', () => Buffer.from(recorded.toString('latin1').replace('A_OPUS', 'A_VORB'), 'latin1')],
    ['nothing', () => Buffer.alloc(0)],
    ['a picture', () => Buffer.from('\x89PNG\r\n\x1a\n\0\0\0')],
  ])('refuses %s', (_name, make) => {
    expect(() => webmOpusToOgg(make())).toThrow(WebmError);
  });
});
