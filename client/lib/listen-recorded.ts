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
 * server had sent nothing. The list is checked once per language; a
 * recording's bytes are fetched only when a block that says it is pressed
 * (a deployment may record many prompts, up to 1 MiB each: a phone on a
 * slow network must not download them all). The server thus learns which
 * recorded prompt was listened to, exactly as it does for built clips.
 */
import type { RecordedPrompts } from '../../common/api.ts';
import { apiUrl } from './api-origin.ts';
import { loadCrypto } from './crypto.ts';
import { recordingTrust } from './listen-trust.ts';
import { sha256Hex } from './sha256.ts';

const VALUE_PIECE = /^(date|count|digit)\./;
type Entry = RecordedPrompts['recordings'][number];
const byLang = new Map<string, Promise<ReadonlyMap<string, Entry>>>();
const bytesOf = new Map<string, Promise<string | undefined>>();


/** The entries of the language's list that pass checks 1, 2, 3 and 5 (the signature and the signer), by clip. */
async function load(lang: string): Promise<ReadonlyMap<string, Entry>> {
  const trust = recordingTrust();
  const out = new Map<string, Entry>();
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
      out.set(entry.clip, entry);
    } catch {
      // A malformed entry is one the page does not play: the built clip stays.
    }
  }
  return out;
}

/** Check 4: the bytes, fetched once, must hash to the signed SHA-256; a blob: URL of exactly them, or undefined. */
function checkedBytes(entry: Entry): Promise<string | undefined> {
  let url = bytesOf.get(entry.sha256);
  if (!url) {
    url = (async () => {
      const audio = await fetch(apiUrl(entry.url), { credentials: 'omit', referrerPolicy: 'no-referrer' });
      if (!audio.ok) throw new Error(`recorded prompt: ${audio.status}`);
      const bytes = await audio.arrayBuffer();
      if ((await sha256Hex(bytes)) !== entry.sha256) return undefined;
      return URL.createObjectURL(new Blob([bytes], { type: 'audio/ogg' }));
    })();
    // A network failure is not kept (pressed again, it asks again); other bytes than signed are a result.
    url.catch(() => bytesOf.delete(entry.sha256));
    bytesOf.set(entry.sha256, url);
  }
  return url.catch(() => undefined);
}

function verified(lang: string): Promise<ReadonlyMap<string, Entry>> {
  let result = byLang.get(lang);
  if (!result) {
    // A failure to fetch (no network) is not kept: the next press asks again. A refusal by the checks is a result.
    result = load(lang).catch(() => {
      byLang.delete(lang);
      return new Map<string, Entry>();
    });
    byLang.set(lang, result);
  }
  return result;
}

/** For the clips of one block: clip id → a blob: URL of a checked recording; empty when none may be played. */
export async function recordedClips(lang: string, clips: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const entries = await verified(lang);
  const out = new Map<string, string>();
  await Promise.all([...new Set(clips)].map(async (clip) => {
    const entry = entries.get(clip);
    const url = entry && (await checkedBytes(entry));
    if (url) out.set(clip, url);
  }));
  return out;
}
