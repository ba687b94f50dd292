/**
 * The team's voice reply (docs/protocol.md, "v2: Voice replies from the
 * team"): the worker's recorder (client/voice/recorder.ts) in the reply form,
 * with the investigator's words. On "send", the recording is encrypted here
 * to exactly the keys the written reply goes to — checked beforehand against
 * the workspace's trust root by the reply form (client/accounts/trust.ts
 * `requireCaseKeys`) — and staged (POST /api/cases/:id/voice); the reply
 * message then names it inside its own ciphertext (kind 'voice') and the
 * server attaches it in the message's transaction.
 */
import type { UploadCreated } from '../../common/api.ts';
import type { AttachmentMeta } from '../../common/report.ts';
import * as crypto from '../../crypto/index.ts';
import { tr, type TeamMessageKey } from '../i18n/team.ts';
import { byId } from '../lib/dom.ts';
import { teamPostBytes } from '../accounts/api.ts';
import { mountVoiceRecorder, type VoiceSay } from '../voice/recorder.ts';

/** Each of the recorder's texts is this catalog's key of the same name under `replyVoice.` (client/i18n/team-voice.en.ts). */
const say: VoiceSay = (el, key, vars) => tr(el, `replyVoice.${key.slice('voice.'.length)}` as TeamMessageKey, vars);

export interface VoiceReply {
  /** Whether a recording is ready to send. */
  has(): boolean;
  /** Encrypts the recording to `recipients` (already checked) and stages it; its meta goes inside the message. */
  stage(caseId: string, recipients: readonly string[]): Promise<AttachmentMeta | undefined>;
  /** Forgets the recording (after it was sent, or when another case opens). */
  clear(): void;
}

export function mountVoiceReply(onChange: () => void): VoiceReply {
  let file: File | null = null;
  const recorder = mountVoiceRecorder(byId('case-reply-voice-box'), {
    idPrefix: 'case-reply-voice',
    say,
    onChange: (next) => {
      file = next;
      onChange();
    },
  });
  return {
    has: () => file !== null,
    async stage(caseId, recipients) {
      if (!file) return undefined;
      const data = new Uint8Array(await file.arrayBuffer());
      try {
        const ciphertext = await crypto.encryptPayload({ data, recipients: [...recipients] });
        const { uploadId } = await teamPostBytes<UploadCreated>(`/api/cases/${encodeURIComponent(caseId)}/voice`, ciphertext);
        return { id: uploadId, name: file.name, type: file.type, size: data.length, kind: 'voice' };
      } finally {
        data.fill(0);
      }
    },
    clear() {
      file = null;
      recorder.clear();
    },
  };
}
