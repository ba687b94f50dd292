import { describe, expect, it } from 'vitest';
import { attachVoice, type AttachmentList } from './attach.ts';

function fakeList(): AttachmentList & { files: Map<string, File> } {
  const files = new Map<string, File>();
  let next = 0;
  return {
    files,
    async add(file) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const id = `a${next++}`;
      files.set(id, file);
      return id;
    },
    remove: (id) => void files.delete(id),
  };
}

const wav = (name: string) => new File([new Uint8Array(4)], name, { type: 'audio/wav' });
describe('a voice recording in the attachment list', () => {
  it('keeps only the latest version when the recording changes quickly', async () => {
    const list = fakeList();
    const voice = attachVoice(list);
    voice.onChange(wav('first'));
    voice.onChange(wav('second'));
    voice.onChange(wav('third'));
    expect(await voice.attached()).toBe(true);
    expect([...list.files.values()].map((f) => f.name)).toEqual(['third']);
  });

  it('takes the recording out when it is deleted', async () => {
    const list = fakeList();
    const voice = attachVoice(list);
    voice.onChange(wav('take'));
    voice.onChange(null);
    expect(await voice.attached()).toBe(false);
    expect(list.files.size).toBe(0);
  });

  it('does not count a recording the list refused', async () => {
    const list = { ...fakeList(), add: async () => undefined };
    const voice = attachVoice(list);
    voice.onChange(wav('too big'));
    expect(await voice.attached()).toBe(false);
    voice.onChange(null); // nothing to remove, nothing thrown
    expect(await voice.attached()).toBe(false);
  });
});
