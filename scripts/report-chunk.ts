/**
 * One JavaScript chunk (and so one stylesheet) for everything the report page
 * needs to show its form: a rolldown `codeSplitting` group, used by
 * vite.config.ts.
 *
 * Why: on the worker's phone ("Slow 3G", bench/low-end.ts) every request
 * pays 2 s of latency, and the browser opens six connections per origin.
 * Split into the ~20 small chunks that rolldown makes by itself (each module
 * shared by a different set of pages is a chunk of its own), the report
 * page's scripts queued for three or four rounds of 2 s before its first line
 * ran (docs/performance.md, "Seventh run").
 *
 * The group takes every module the report page imports statically (not the
 * lazy ones: crypto, the catalogs, what the page loads on demand). Other pages
 * that share some of these modules then load this chunk too: a few more kB for
 * them, and `strictExecutionOrder` (vite.config.ts) so that loading it runs
 * only the modules the page itself imports, in their order — never the report
 * page's own top-level code on another page.
 */
import type { ChunkingContext } from 'rolldown';

/** The rolldown group name function: `'report-page'` for a module the report page imports statically, else nothing. */
export function reportPageChunk(reportEntry: string): (id: string, ctx: ChunkingContext) => string | null {
  let reachable: Set<string> | undefined;
  let seenWith: ChunkingContext | undefined;
  return (id, ctx) => {
    if (seenWith !== ctx || !reachable) {
      seenWith = ctx;
      reachable = staticGraph(reportEntry, ctx);
    }
    return reachable.has(id) && id !== reportEntry ? 'report-page' : null;
  };
}

/** Every module `entry` imports statically, directly or not. */
function staticGraph(entry: string, ctx: ChunkingContext): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of ctx.getModuleInfo(id)?.importedIds ?? []) todo.push(next);
  }
  return seen;
}
