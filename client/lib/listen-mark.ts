/**
 * The "recorded by your channel" mark the player (./listen-player.ts) puts
 * beside a listen control while it plays the deployment's own recording;
 * ./listen.ts hides and removes it with its control.
 */
export function recordedMark(button: HTMLButtonElement): HTMLElement | undefined {
  const next = button.nextElementSibling;
  return next instanceof HTMLElement && next.dataset.listenRecorded !== undefined ? next : undefined;
}
