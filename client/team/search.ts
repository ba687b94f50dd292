/**
 * Full-text search of the inbox over decrypted content, in this browser
 * only (docs/protocol.md, "Inbox index"). Each case has a short normalised
 * text (category, what, when, where, who, wish) sealed under the team index
 * key; the inbox loads all of them in one request and opens them with
 * WebCrypto. Cases without an entry yet are decrypted in the background, a
 * few at a time, and their entries uploaded. The texts are forgotten when
 * the keyring locks.
 */
import type { CaseDetail, IndexEntries } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import * as crypto from '../../crypto/index.ts';
import { openReport } from '../lib/thread.ts';
import { teamGet, teamPut } from '../accounts/api.ts';
import { teamIndexKey, type IndexKey } from './index-key.ts';
import { onLock, withKey } from '../accounts/keyring.ts';
import { indexText } from './search-text.ts';

export { matches, queryTerms } from './search-text.ts';

/** caseId → normalised text, for the cases of this session. */
const texts = new Map<string, string>();
let generation = 0;
onLock(() => {
  texts.clear();
  generation++;
});

export function searchText(caseId: string): string | undefined {
  return texts.get(caseId);
}

/** Loads and opens every entry; returns the key, or undefined if this investigator cannot open it yet. */
export async function loadIndex(): Promise<IndexKey | undefined> {
  const key = await teamIndexKey();
  if (!key) return undefined;
  const { version, caseIds, entries } = await teamGet<IndexEntries>('/api/cases/index');
  if (version !== key.version) return key;
  const all = crypto.fromBase64Url(entries);
  const size = crypto.INDEX_ENTRY_BYTES;
  if (all.length !== caseIds.length * size) return key;
  await Promise.all(
    caseIds.map(async (caseId, i) => {
      try {
        texts.set(caseId, await crypto.openIndexEntry({ key: key.key, caseId, entry: all.subarray(i * size, (i + 1) * size) }));
      } catch {
        // Damaged or sealed for another case: indexed again in the background.
      }
    }),
  );
  return key;
}

async function indexOne(key: IndexKey, caseId: string): Promise<void> {
  const detail = await teamGet<CaseDetail>(`/api/cases/${encodeURIComponent(caseId)}`);
  const report = await withKey((k) => openReport(crypto, k, detail.report));
  if (report) await store(key, caseId, report);
}

/** A case just opened in the case view: index it now if it has no entry yet. */
export async function indexOpened(caseId: string, report: ReportContent): Promise<void> {
  if (texts.has(caseId)) return;
  const key = await teamIndexKey();
  if (key) await store(key, caseId, report);
}

async function store(key: IndexKey, caseId: string, report: ReportContent): Promise<void> {
  const { en } = await import('../i18n/en.ts');
  const text = indexText(report, en);
  const entry = await crypto.sealIndexEntry({ key: key.key, caseId, text });
  await teamPut(`/api/cases/${encodeURIComponent(caseId)}/index-entry`, { version: key.version, entry: crypto.toBase64Url(entry) });
  texts.set(caseId, text);
}

const BATCH = 4;
const idle = () => new Promise<void>((resolve) => {
  if ('requestIdleCallback' in window) window.requestIdleCallback(() => resolve(), { timeout: 500 });
  else setTimeout(resolve, 0);
});

/**
 * Decrypts and indexes the cases that have no entry yet, BATCH at a time
 * between idle moments; calls `progress` after each batch. Stops when the
 * keyring locks or `stillWanted` says so.
 */
export async function indexMissing(
  key: IndexKey, caseIds: readonly string[], progress: (done: number, total: number) => void, stillWanted: () => boolean,
): Promise<void> {
  const mine = generation;
  const missing = caseIds.filter((id) => !texts.has(id));
  for (let i = 0; i < missing.length; i += BATCH) {
    await idle();
    if (mine !== generation || !stillWanted()) return;
    await Promise.all(missing.slice(i, i + BATCH).map((id) => indexOne(key, id).catch(() => undefined)));
    progress(Math.min(i + BATCH, missing.length), missing.length);
  }
}
