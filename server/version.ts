/**
 * This build's version (package.json), for the start-up line and the metrics.
 * The bundler inlines it into dist/server/*.js.
 */
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
