/** Runs the voice disguise off the page's thread, so the page stays responsive on a slow phone. */
import { disguiseVoice, type DisguiseSettings } from './disguise.ts';

export interface DisguiseRequest {
  samples: Float32Array;
  sampleRate: number;
  settings: DisguiseSettings;
}

self.addEventListener('message', (event: MessageEvent<DisguiseRequest>) => {
  const { samples, sampleRate, settings } = event.data;
  const out = disguiseVoice(samples, sampleRate, settings);
  (self as unknown as Worker).postMessage(out, [out.buffer]);
});
