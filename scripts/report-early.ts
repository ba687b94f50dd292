/**
 * The Vite plugin that writes the report page's early requests into
 * report.html (common/report-early-script.ts): the `ombud-catalogs` meta
 * (each worker language's catalog chunk and the chunks it imports, known
 * only once the bundle is made) and the inline script itself, after the
 * page's `<meta>` tags and before its stylesheets and module script.
 *
 * The script's text is fixed at the source; the build stops if its SHA-256
 * is not the one the CSP allows (REPORT_EARLY_SCRIPT_CSP).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { REPORT_EARLY_SCRIPT, REPORT_EARLY_SCRIPT_CSP, catalogsMeta } from '../common/report-early-script.ts';

/** `'sha256-…'` of an inline script's text, as a CSP names it. */
export function scriptCsp(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
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
      handler(html, ctx) {
        if (!ctx.filename.endsWith('/report.html') || !ctx.bundle) return html;
        if (scriptCsp(REPORT_EARLY_SCRIPT) !== REPORT_EARLY_SCRIPT_CSP) {
          throw new Error(`common/report-early-script.ts: the script's hash is ${scriptCsp(REPORT_EARLY_SCRIPT)}, not REPORT_EARLY_SCRIPT_CSP`);
        }
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
        if (at < 0) throw new Error('report.html: no <link> to put the early requests before');
        return `${html.slice(0, at)}${catalogsMeta(catalogs)}\n    <script>${REPORT_EARLY_SCRIPT}</script>\n    ${html.slice(at)}`;
      },
    },
  };
}
