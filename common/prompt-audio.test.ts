import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_MAX_BYTES, inspectPromptAudio, oggCrc } from './prompt-audio.ts';

/** A WAV file of silence (16-bit mono), to encode long recordings without a synthesizer. */
function silentWav(seconds: number, rate = 8000): Buffer {
  const data = seconds * rate * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + data, 4); header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

const opus = (wav: Buffer) => execFileSync('opusenc', ['--quiet', '--serial', '7', '-', '-'], { input: wav, maxBuffer: 64 << 20 });

let spoken: Buffer;
let wav: Buffer;
beforeAll(() => {
  wav = execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', 'Lock and send']);
  spoken = opus(wav);
});

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('a recording offered to replace a prompt', () => {
  it('accepts Ogg Opus and says how long it is', () => {
    const result = inspectPromptAudio(spoken);
    expect(result).toMatchObject({ ok: true, container: 'ogg-opus', channels: 1 });
    expect(result.ok && result.durationMs).toBeGreaterThan(300);
  });

  it.each([
    ['a WAV file', () => wav],
    ['an MP3 file', () => Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00'), Buffer.alloc(500)])],
    ['a picture renamed', () => Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n'), Buffer.alloc(100)])],
    ['a script behind the magic bytes', () => Buffer.from('OggS<script>alert(1)</script>')],
    ['an empty file', () => Buffer.alloc(0)],
    ['a file cut short', () => spoken.subarray(0, spoken.length - 10)],
    ['a flipped bit in the sound', () => flipped(spoken, spoken.length - 5)],
    ['a flipped bit in the Opus header', () => flipped(spoken, 28 + 9)],
    ['bytes after the end of the stream', () => Buffer.concat([spoken, Buffer.from('tail')])],
    ['a second stream behind the first', () => Buffer.concat([spoken, opus(wav)])],
    ['Ogg that is not Opus (Vorbis)', () => {
      const copy = Buffer.from(spoken);
      copy.write('OpusHeaX', 28);
      return copy;
    }],
  ])('refuses %s as not audio', (_name, make) => {
    expect(inspectPromptAudio(make())).toMatchObject({ ok: false, code: 'prompt_not_audio' });
  });

  it('refuses a file over the size limit before reading it', () => {
    expect(inspectPromptAudio(Buffer.alloc(PROMPT_MAX_BYTES + 1))).toMatchObject({ ok: false, code: 'prompt_too_large' });
  });

  it('refuses a recording longer than three minutes', () => {
    expect(inspectPromptAudio(opus(silentWav(181)))).toMatchObject({ ok: false, code: 'prompt_too_long' });
    expect(inspectPromptAudio(opus(silentWav(170)))).toMatchObject({ ok: true });
  });

  it('computes the Ogg checksum of the pages opusenc writes', () => {
    const firstPage = spoken.subarray(0, 27 + spoken[26]! + spoken.subarray(27, 27 + spoken[26]!).reduce((a, b) => a + b, 0));
    expect(oggCrc(firstPage)).toBe(spoken.readUInt32LE(22));
  });
});
