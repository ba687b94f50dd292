/**
 * A deployment's own recordings of listen prompts (migration 018): one per
 * language and clip id. `put` replaces, `remove` deletes; callers wrap either
 * with the audit event in one transaction (server/prompts/routes.ts).
 */
import type { Db } from './database.ts';

export interface PromptRecording {
  lang: string;
  clip: string;
  sha256: string;
  signature: string;
  signerKey: string;
  investigatorId: string;
  savedAt: number;
}

interface PromptRow {
  lang: string;
  clip: string;
  sha256: string;
  signature: string;
  signer_key: string;
  investigator_id: string;
  saved_at: number;
}

const COLUMNS = 'lang, clip, sha256, signature, signer_key, investigator_id, saved_at';

const toRecording = (row: PromptRow): PromptRecording => ({
  lang: row.lang,
  clip: row.clip,
  sha256: row.sha256,
  signature: row.signature,
  signerKey: row.signer_key,
  investigatorId: row.investigator_id,
  savedAt: row.saved_at,
});

export function createPromptsRepo(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO prompt_recordings (lang, clip, sha256, audio, signature, signer_key, investigator_id, saved_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (lang, clip) DO UPDATE SET sha256 = excluded.sha256, audio = excluded.audio, signature = excluded.signature,
       signer_key = excluded.signer_key, investigator_id = excluded.investigator_id, saved_at = excluded.saved_at`,
  );
  const del = db.prepare(`DELETE FROM prompt_recordings WHERE lang = ? AND clip = ?`);
  const ofLang = db.prepare<[string], PromptRow>(`SELECT ${COLUMNS} FROM prompt_recordings WHERE lang = ? ORDER BY clip`);
  const one = db.prepare<[string, string], PromptRow>(`SELECT ${COLUMNS} FROM prompt_recordings WHERE lang = ? AND clip = ?`);
  const audio = db.prepare<[string, string], { audio: Buffer }>(`SELECT audio FROM prompt_recordings WHERE lang = ? AND sha256 = ? LIMIT 1`);
  return {
    put(recording: PromptRecording & { audio: Uint8Array }): void {
      upsert.run(
        recording.lang, recording.clip, recording.sha256, Buffer.from(recording.audio), recording.signature, recording.signerKey,
        recording.investigatorId, recording.savedAt,
      );
    },
    /** Whether there was one to remove. */
    remove(lang: string, clip: string): boolean {
      return del.run(lang, clip).changes > 0;
    },
    find(lang: string, clip: string): PromptRecording | undefined {
      const row = one.get(lang, clip);
      return row ? toRecording(row) : undefined;
    },
    ofLang(lang: string): PromptRecording[] {
      return ofLang.all(lang).map(toRecording);
    },
    /** The bytes of a recording of `lang` by their hash (the URL names the hash: the answer never changes). */
    audio(lang: string, sha256: string): Uint8Array | undefined {
      return audio.get(lang, sha256)?.audio;
    },
  };
}
