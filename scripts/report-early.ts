/**
 * The Vite plugin that writes the report page's early requests and its early
 * form into report.html (common/report-early-script.ts):
 * - in its head, after the page's `<meta>` tags and before its links: the
 *   `ombud-catalogs` meta (each worker language's catalog chunk and the
 *   chunks it imports, known only once the bundle is made), the first inline
 *   script, and the first screen's inline stylesheet (client/styles.css's
 *   part between its "report page, first screen" comments);
 * - the page's stylesheet files loaded without holding the first paint back:
 *   a `preload` each (asked for at once, at a stylesheet's priority), the
 *   stylesheet itself with `media="print"` and `data-ombud-later` until the
 *   early form script applies it, and the same in `<noscript>`;
 * - at the end of its body: the early form's words (each worker language's
 *   first-screen texts, from the catalogs) and the early form script.
 *
 * The inline texts are fixed at the source; the build stops if a SHA-256 is
 * not the one the CSP allows.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import type { Plugin } from 'vite';
import {
  REPORT_EARLY_FORM_SCRIPT, REPORT_EARLY_FORM_SCRIPT_CSP, REPORT_EARLY_SCRIPT, REPORT_EARLY_SCRIPT_CSP, REPORT_EARLY_STYLE_CSP,
  catalogsMeta, earlyWordsJson, firstScreenCss,
} from '../common/report-early-script.ts';
import { directionOf } from '../common/text-direction.ts';

/** `'sha256-…'` of an inline script's or stylesheet's text, as a CSP names it. */
export function scriptCsp(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** A catalog module of client/i18n (a plain object literal), stripped of its types and loaded: its one export. */
export async function readCatalog(path: string): Promise<Record<string, string>> {
  const { code } = await transform(readFileSync(path, 'utf8'), { loader: 'ts', format: 'esm' });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, Record<string, string>>;
  return Object.values(module)[0]!;
}

/** Each inline text the report page carries, checked against the hash the CSP allows. */
function checkHashes(styles: string): void {
  const inline = [
    ['REPORT_EARLY_SCRIPT_CSP', REPORT_EARLY_SCRIPT, REPORT_EARLY_SCRIPT_CSP],
    ['REPORT_EARLY_FORM_SCRIPT_CSP', REPORT_EARLY_FORM_SCRIPT, REPORT_EARLY_FORM_SCRIPT_CSP],
    ['REPORT_EARLY_STYLE_CSP (client/styles.css, its first-screen part)', styles, REPORT_EARLY_STYLE_CSP],
  ] as const;
  for (const [name, text, allowed] of inline) {
    if (scriptCsp(text) !== allowed) throw new Error(`common/report-early-script.ts: the hash of the text is ${scriptCsp(text)}, not ${name}`);
  }
}

/** The page's stylesheet links, each turned into a preload, a stylesheet applied later, and its `<noscript>` twin. */
export function laterStylesheets(head: string): string {
  return head.replace(/<link\b([^>]*\brel="stylesheet"[^>]*?)\s*\/?>/gi, (_tag, attrs: string) => {
    const rest = attrs.replace(/\s*\brel="stylesheet"/i, '');
    return `<link rel="preload" as="style"${rest}>\n    <link rel="stylesheet"${rest} media="print" data-ombud-later>\n    <noscript><link rel="stylesheet"${rest}></noscript>`;
  });
}

/** The worker languages in the picker's order, each with its catalog module's file name (client/i18n/worker-catalogs.ts). */
export function workerCatalogModules(source: string): Array<[lang: string, file: string]> {
  return [...source.matchAll(/^\s+'?([A-Za-z-]+)'?: \(\) => import\('\.\/([\w-]+\.ts)'\)/gm)].map((m) => [m[1]!, m[2]!]);
}

interface BundleChunk { type: 'chunk'; fileName: string; facadeModuleId: string | null; isDynamicEntry: boolean; imports: string[] }

export function reportEarlyRequests(client: string): Plugin {
  return {
    name: 'ombud-report-early',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        if (!ctx.filename.endsWith('/report.html') || !ctx.bundle) return html;
        const style = firstScreenCss(readFileSync(`${client}/styles.css`, 'utf8'));
        checkHashes(style);
        const chunks = Object.values(ctx.bundle).filter((c): c is BundleChunk & typeof c => c.type === 'chunk');
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const modules = workerCatalogModules(readFileSync(`${client}/i18n/worker-catalogs.ts`, 'utf8'));
        if (modules.length === 0) throw new Error('client/i18n/worker-catalogs.ts: no catalogs found');
        // What the page loads anyway (its entry chunk and what that imports) need not be named again.
        const page = new Set<string>();
        const walk = (name: string) => {
          if (page.has(name)) return;
          page.add(name);
          for (const next of byFile.get(name)?.imports ?? []) walk(next);
        };
        if (ctx.chunk) walk(ctx.chunk.fileName);
        const catalogs = modules.map(([lang, file]) => {
          const chunk = chunks.find((c) => c.isDynamicEntry && c.facadeModuleId === `${client}/i18n/${file}`);
          if (!chunk) throw new Error(`no chunk for the ${lang} catalog (client/i18n/${file})`);
          // The catalog's chunk and what it imports (a catalog another page imports statically is a chunk of its own).
          const files: string[] = [];
          const add = (name: string) => {
            if (files.includes(`/${name}`) || page.has(name)) return;
            files.push(`/${name}`);
            for (const next of byFile.get(name)?.imports ?? []) add(next);
          };
          add(chunk.fileName);
          return [lang, files] as const;
        });
        // Before the first <link>: ahead of the stylesheets (a script after one waits for it) but after
        // every <meta>, the worker build's ombud-api-origin included (the script reads it).
        const at = html.search(/<link\b/i);
        const headEnd = html.search(/<\/head>/i);
        const bodyEnd = html.search(/<\/body>/i);
        if (at < 0 || headEnd < at || bodyEnd < headEnd) throw new Error('report.html: no <link> to put the early requests before');
        const words = await Promise.all(modules.map(async ([lang, file]) => [lang, directionOf(lang), await readCatalog(`${client}/i18n/${file}`)] as const));
        return [
          html.slice(0, at),
          `${catalogsMeta(catalogs)}\n    <script>${REPORT_EARLY_SCRIPT}</script>\n    <style>${style}</style>\n    `,
          laterStylesheets(html.slice(at, headEnd)),
          html.slice(headEnd, bodyEnd),
          `  <script type="application/json" id="ombud-early-words">${earlyWordsJson(words)}</script>\n    <script>${REPORT_EARLY_FORM_SCRIPT}</script>\n  `,
          html.slice(bodyEnd),
        ].join('');
      },
    },
  };
}
