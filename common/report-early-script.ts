/**
 * The report page's one inline script: it asks for the worker's language
 * catalog and for the channel while the page's own scripts are still on
 * their way, instead of after them.
 *
 * Why: on the worker's phone ("Slow 3G": 2 s per request) the catalog's
 * chunk is chosen in JavaScript (sessionStorage, then navigator.languages:
 * client/i18n/core.ts pickLanguage) and the channel's address comes from the
 * link, so the browser learns of both only once the page's module has run:
 * a second round of requests after the first (docs/performance.md).
 *
 * What it does, and nothing else:
 * - reads `<meta name="ombud-catalogs" content="en /assets/a.js /assets/b.js;zh-CN …">`
 *   (written by the build, scripts/report-early.ts: the worker languages in
 *   the picker's order, each with its catalog chunk and the chunks it imports),
 *   picks the language as pickLanguage does (a test runs both on the same
 *   inputs: client/i18n/early-language.test.ts), and adds a
 *   `<link rel="modulepreload">` for each of its files — the page's later
 *   `import()` of the catalog finds them in the module map;
 * - on a link with pins (`/r/<slug>#pins=…`) on the same origin (no
 *   `ombud-api-origin` meta), starts the GET of `/api/channels/<slug>` with the
 *   options of client/lib/api.ts and leaves the promise of its response at
 *   `window.ombudFirstChannel`, which client/report/first-channel.ts takes.
 *   The answer is the server's word like any other: the page checks the keys
 *   against the pins before anything is encrypted or sent (client/lib/pins.ts).
 *
 * Plain ES2017 text, fixed at the source, so that its hash is too: the CSP
 * allows exactly this script by its SHA-256 (REPORT_EARLY_SCRIPT_CSP, in
 * ./release-manifest.ts's script-src). The build checks the hash
 * (scripts/report-early.ts) and so does a test; change the text, change the hash.
 */
export const REPORT_EARLY_SCRIPT = [
  '(function(){',
  'var d=document,n=navigator,m=d.querySelector(\'meta[name="ombud-catalogs"]\');',
  'if(m){',
  'var all=m.content.split(";").map(function(e){return e.split(" ")}),w=[];',
  'try{w.push(sessionStorage.getItem("ombud.lang"))}catch(e){}',
  'w=w.concat(n.languages||[n.language]);',
  'var low=function(s){return s.toLowerCase()},base=function(s){return low(s).split("-")[0]},got;',
  'for(var i=0;i<w.length&&!got;i++){var t=w[i];if(!t)continue;',
  'got=all.find(function(e){return low(e[0])===low(t)})||all.find(function(e){return base(e[0])===base(t)})}',
  '(got||all[0]).slice(1).forEach(function(h){var l=d.createElement("link");l.rel="modulepreload";l.crossOrigin="anonymous";l.href=h;d.head.appendChild(l)})}',
  'var s=/^\\/r\\/([a-z0-9-]+)\\/?$/.exec(location.pathname);',
  'if(s&&/^#pins=/.test(location.hash)&&!d.querySelector(\'meta[name="ombud-api-origin"]\')){',
  'var f=fetch("/api/channels/"+s[1],{headers:{Accept:"application/json"},credentials:"same-origin",cache:"no-store",redirect:"error",referrerPolicy:"no-referrer"});',
  'f.catch(function(){});window.ombudFirstChannel=f}',
  '})()',
].join('');

/** The script's CSP source: `'sha256-…'` of its exact text (UTF-8), base64. */
export const REPORT_EARLY_SCRIPT_CSP = "'sha256-ssZtP9ecQDqZk9g9JUCwUV7DrtgafYv5SSKw3ZCtXhI='";

/** The meta the script reads: each language with the files of its catalog, in the picker's order. */
export function catalogsMeta(catalogs: ReadonlyArray<readonly [lang: string, files: readonly string[]]>): string {
  for (const [lang, files] of catalogs) {
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang) || files.some((f) => !/^\/[\w./-]+$/.test(f))) throw new Error(`catalog ${lang}: ${files.join(' ')}`);
  }
  return `<meta name="ombud-catalogs" content="${catalogs.map(([lang, files]) => [lang, ...files].join(' ')).join(';')}" />`;
}
