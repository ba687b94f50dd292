/**
 * The tests' way to Chromium. The launcher itself lives in scripts/chromium.ts
 * because the benchmark drives the same browser and bench/ may not import tests/.
 */
export { CHROMIUM_ARGS, launchBrowser } from '../../scripts/chromium.ts';
