/**
 * A deployment's own recordings, as the worker's page takes them (loaded by
 * the player, only when a control is pressed). The server lists a
 * language's recordings with, for each, the clip it replaces, the SHA-256 of
 * its bytes, a detached signature over (lang, clip, sha256) and the signer's
 * public key. A recording is played only when all of this holds:
 *
 *  1. the page registered a trust (./listen-trust.ts: the report page, from
 *     the recovery keys its link pins, checked by ./pins.ts);
 *  2. the signer key carries a certification by one of those recovery keys;
 *  3. the signature is the signer's over this language, clip and hash;
 *  4. the bytes fetched hash to that SHA-256 (they are played from memory,
 *     a blob: URL, so what was checked is what is heard);
 *  5. the clip is a catalog text's: never a day, a count or a digit.
 *
 * Anything else — a forged signature, a signer no pinned key vouches for,
 * swapped audio, no trust at all — and the built clip plays, as if the
 * server had sent nothing. Every recording of the language is fetched at
 * once, in the server's order, so which block is listened to does not show.
 */
import type { RecordedPrompts } from '../../common/api.ts';
import { apiUrl } from './api-origin.ts';
import { loadCrypto } from './crypto.ts';
import { recordingTrust } from './listen-trust.ts';

const VALUE_PIECE = /^(date|count|digit)\./;
const byLang = new Map<string, Promise<ReadonlyMap<string, string>>>();

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function load(lang: string): Promise<ReadonlyMap<string, string>> {
  const trust = recordingTrust();
  const out = new Map<string, string>();
  if (!trust) return out;
  const response = await fetch(apiUrl(`/api/prompts/${encodeURIComponent(lang)}`), { credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!response.ok) return out;
  const list = (await response.json()) as RecordedPrompts;
  if (list.lang !== lang || !Array.isArray(list.recordings) || list.recordings.length === 0) return out;
  const recoveryKeys = await trust();
  const ops = await loadCrypto();
  for (const entry of list.recordings) {
    try {
      if (typeof entry.clip !== 'string' || VALUE_PIECE.test(entry.clip) || !entry.clip.includes('#')) continue;
      if (typeof entry.url !== 'string' || !entry.url.startsWith('/api/prompt-audio/')) continue; // this origin only
      let certified = false;
      for (const certifierPublicKey of recoveryKeys) {
        if (await ops.isCertifiedBy({ publicKey: entry.signerKey, certifierPublicKey })) certified = true;
      }
      if (!certified) continue;
      if (!(await ops.verifyPrompt({ lang, clip: entry.clip, sha256: entry.sha256, signature: entry.signature, publicKey: entry.signerKey }))) continue;
      const audio = await fetch(apiUrl(entry.url), { credentials: 'omit', referrerPolicy: 'no-referrer' });
      if (!audio.ok) continue;
      const bytes = await audio.arrayBuffer();
      if ((await sha256Hex(bytes)) !== entry.sha256) continue;
      out.set(entry.clip, URL.createObjectURL(new Blob([bytes], { type: 'audio/ogg' })));
    } catch {
      // A malformed entry is one the page does not play: the built clip stays.
    }
  }
  return out;
}

/** clip id → a blob: URL of a checked recording, for the clips of `lang` that have one; empty when none may be played. */
export function recordedClips(lang: string): Promise<ReadonlyMap<string, string>> {
  let result = byLang.get(lang);
  if (!result) {
    // A failure to fetch (no network) is not kept: the next press asks again. A refusal by the checks is a result.
    result = load(lang).catch(() => {
      byLang.delete(lang);
      return new Map<string, string>();
    });
    byLang.set(lang, result);
  }
  return result;
}
