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
 *   `import()` of the catalog finds them in the module map — and leaves the
 *   language at `window.ombudEarlyLang` for the early form (below);
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
  'got=got||all[0];window.ombudEarlyLang=got[0];',
  'got.slice(1).forEach(function(h){var l=d.createElement("link");l.rel="modulepreload";l.crossOrigin="anonymous";l.href=h;d.head.appendChild(l)})}',
  'var s=/^\\/r\\/([a-z0-9-]+)\\/?$/.exec(location.pathname);',
  'if(s&&/^#pins=/.test(location.hash)&&!d.querySelector(\'meta[name="ombud-api-origin"]\')){',
  'var f=fetch("/api/channels/"+s[1],{headers:{Accept:"application/json"},credentials:"same-origin",cache:"no-store",redirect:"error",referrerPolicy:"no-referrer"});',
  'f.catch(function(){});window.ombudFirstChannel=f}',
  '})()',
].join('');

/** The script's CSP source: `'sha256-…'` of its exact text (UTF-8), base64. */
export const REPORT_EARLY_SCRIPT_CSP = "'sha256-wrRAq5XDFeU/pBwf2y526EiWSQIC5FBKXvCWJaYQ63c='";

/** The meta the script reads: each language with the files of its catalog, in the picker's order. */
export function catalogsMeta(catalogs: ReadonlyArray<readonly [lang: string, files: readonly string[]]>): string {
  for (const [lang, files] of catalogs) {
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang) || files.some((f) => !/^\/[\w./-]+$/.test(f))) throw new Error(`catalog ${lang}: ${files.join(' ')}`);
  }
  return `<meta name="ombud-catalogs" content="${catalogs.map(([lang, files]) => [lang, ...files].join(' ')).join(';')}" />`;
}

/**
 * The report page's second inline script, at the end of its body: **the early
 * form**. On the worker's phone the page's script, stylesheet and catalog
 * arrive one round trip after the HTML (≈ 2 s each on "Slow 3G"), so the
 * form's first screen is shown from the HTML alone, at once:
 *
 * - the words of that screen in the language the first script picked
 *   (`window.ombudEarlyLang`), from the page's
 *   `<script type="application/json" id="ombud-early-words">` block
 *   (`{"th":["ltr",{"report.heading":"…",…}],…}`, written by the build from
 *   the catalogs: earlyWordsJson below), set as text on each
 *   `[data-i18n]` element they name, and the page's `lang` and `dir`;
 * - `#report-form` shown with `data-early`: the stylesheet inlined from
 *   client/styles.css's first-screen part hides every child of the form
 *   but those marked `data-early-part` (the heading, what the worker must
 *   know, and "What happened?" with its text box), so the worker can start
 *   writing while the rest comes; the page's module (client/report/main.ts)
 *   removes `data-early` when the whole form is ready, and the text written
 *   meanwhile stays where it is (the same text box);
 * - nothing can be sent from the early form: no send button is shown, its
 *   fields have no name, and a submit while `data-early` is set is cancelled;
 *   only the page's module sends, and only ciphertext, once the link's pins
 *   vouched for the keys;
 * - the page's stylesheets, loaded with `media="print"` so that they do not
 *   hold the first paint back (`data-ombud-later`), apply once loaded.
 *
 * Only on a link that carries pins (`#pins=`): a link without them is refused
 * by the page, and the worker is not asked to start writing first.
 *
 * It reads nothing from the server: only the page's own bytes, which the
 * release manifest lists like every file. Same rules as the first script:
 * plain ES2017, fixed at the source, allowed by its SHA-256 alone.
 */
export const REPORT_EARLY_FORM_SCRIPT = [
  '(function(){',
  'var d=document,f=d.getElementById("report-form"),b=d.getElementById("ombud-early-words"),w;',
  'd.querySelectorAll("link[data-ombud-later]").forEach(function(l){var a=function(){l.media="all"};if(l.sheet)a();else l.addEventListener("load",a)});',
  'try{w=JSON.parse(b.textContent)[window.ombudEarlyLang]}catch(e){}',
  'if(!f||!w||!/^#pins=/.test(location.hash))return;',
  'var h=d.documentElement,o=d.getElementById("report-loading");h.lang=window.ombudEarlyLang;h.dir=w[0];',
  'd.querySelectorAll("[data-i18n]").forEach(function(e){var t=w[1][e.getAttribute("data-i18n")];if(typeof t==="string")e.textContent=t});',
  'f.addEventListener("submit",function(e){if(f.hasAttribute("data-early"))e.preventDefault()});',
  'f.setAttribute("data-early","");f.hidden=false;if(o)o.hidden=false',
  '})()',
].join('');

/** The early form script's CSP source. */
export const REPORT_EARLY_FORM_SCRIPT_CSP = "'sha256-WNuVkSfrJMUfxHO7Y36iCXOKPoI4bJ+0GdUncz5GNfM='";

/** The catalog keys the early form shows: the `[data-i18n]` texts of the form's first screen, the title and "Loading…". */
export const EARLY_WORDS = ['report.title', 'report.heading', 'report.loading', 'report.anonymous', 'report.required', 'report.what', 'report.requiredMark', 'report.whatHint'] as const;

/**
 * The early form's words block: each worker language's direction and first-screen texts, as JSON safe
 * inside `<script type="application/json">` (no `<`, so no `</script>`).
 */
export function earlyWordsJson(languages: ReadonlyArray<readonly [lang: string, dir: 'ltr' | 'rtl', catalog: Readonly<Record<string, string>>]>): string {
  const words = Object.fromEntries(languages.map(([lang, dir, catalog]) => [lang, [dir, Object.fromEntries(EARLY_WORDS.map((key) => {
    const text = catalog[key];
    if (typeof text !== 'string' || text === '') throw new Error(`the ${lang} catalog has no ${key}`);
    return [key, text];
  }))]]));
  return JSON.stringify(words).replace(/</g, '\\u003c');
}

/**
 * The report page's inline stylesheet: the part of client/styles.css between
 * its `report page, first screen: begin` and `… end` comments (the page frame,
 * the text, the fields, and the early form's rule), so that the first screen
 * is drawn before any stylesheet file arrives. The same rules stay in the
 * file for every page. Allowed by its SHA-256 in the CSP's `style-src`
 * (REPORT_EARLY_STYLE_CSP): the build and a test stop when that part of
 * styles.css changed and the hash did not.
 */
export function firstScreenCss(styles: string): string {
  const begin = styles.indexOf('/* report page, first screen: begin */');
  const endMark = '/* report page, first screen: end */';
  const end = styles.indexOf(endMark);
  if (begin < 0 || end < begin) throw new Error('client/styles.css: no "report page, first screen" part');
  return styles.slice(begin, end + endMark.length);
}

/** The inline stylesheet's CSP source: `'sha256-…'` of firstScreenCss(client/styles.css). */
export const REPORT_EARLY_STYLE_CSP = "'sha256-c2S9oO8yYJ7aIXE8WsJzRvz8dbrJkiBUaMl6QzXIJ4Y='";
