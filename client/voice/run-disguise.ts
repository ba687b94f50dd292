/**
 * Disguises a recording in a worker (a 3-minute recording takes seconds on a
 * cheap phone), or on the page's thread where workers are not available. The
 * samples are copied to the worker, so the caller's array stays as it was.
 */
import { disguiseVoice, type DisguiseSettings } from './disguise.ts';
import type { DisguiseRequest } from './disguise.worker.ts';

export function disguiseInBackground(samples: Float32Array, sampleRate: number, settings: DisguiseSettings): Promise<Float32Array> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./disguise.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve(disguiseVoice(samples, sampleRate, settings));
  }
  return new Promise<Float32Array>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<Float32Array>) => resolve(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      // a worker that cannot start (blocked, out of memory): do it here instead
      try {
        resolve(disguiseVoice(samples, sampleRate, settings));
      } catch (error) {
        reject(error);
      }
    });
    const request: DisguiseRequest = { samples: samples.slice(), sampleRate, settings };
    worker.postMessage(request, [request.samples.buffer]);
  }).finally(() => worker.terminate());
}
