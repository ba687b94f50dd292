/** Calls `onIdle` after `ms` without a key press, tap or scroll; returns a function that stops watching. */
const EVENTS = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const;

export function watchIdle(ms: number, onIdle: () => void): () => void {
  let timer = setTimeout(onIdle, ms);
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  for (const name of EVENTS) window.addEventListener(name, reset, { passive: true, capture: true });
  return () => {
    clearTimeout(timer);
    for (const name of EVENTS) window.removeEventListener(name, reset, { capture: true });
  };
}
