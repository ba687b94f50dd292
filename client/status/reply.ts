/**
 * The reporter's reply box: words, files and a voice message, each encrypted
 * on this phone to the case's recipients. Files are cleaned and uploaded as
 * soon as they are chosen (client/media/attachment-box.ts, the same list as
 * the report form); "send" then stores the message and its files together
 * (POST /api/status/messages with the upload ticket), and reloads the thread.
 * File names and types go only inside the encrypted message.
 */
import { LIMITS } from '../../common/limits.ts';
import { t, tr } from '../i18n/index.ts';
import { ApiError } from '../lib/api.ts';
import { byId, setBusy, show } from '../lib/dom.ts';
import { describeError } from '../lib/worker-errors.ts';
import { isTransient } from '../lib/resend.ts';
import { AttachmentsNotReadyError, createAttachmentBox } from '../media/attachment-box.ts';
import { attachVoice } from '../voice/attach.ts';
import { mountVoiceRecorder } from '../voice/recorder.ts';
import type { CaseState, ReporterSession } from './session.ts';

export interface ReplyBox {
  /** Empties the text, the files and the recording (leaving the case). */
  clear(): void;
}

export function mountReply(current: () => ReporterSession | undefined, onUpdated: (state: CaseState) => void): ReplyBox {
  const form = byId<HTMLFormElement>('reply-form');
  const text = byId<HTMLTextAreaElement>('reply-text');
  const status = byId('reply-status');
  const error = byId('reply-error');
  text.maxLength = LIMITS.messageChars;

  const files = createAttachmentBox({
    view: { list: byId('reply-attach-list'), error: byId('reply-attach-error') },
    input: byId<HTMLInputElement>('reply-attach-input'),
    hint: byId('reply-attach-hint'),
    recipients: async () => {
      const session = current();
      if (!session) throw new Error('no case is open');
      return session.recipients();
    },
  });
  /** The voice message joins the files (disguised unless the worker chose otherwise). */
  const voiceAttachment = attachVoice({ add: files.add, remove: files.remove });
  /** "Write something first" goes away as soon as there is something. */
  const hideNeed = () => {
    if (error.dataset.i18n === 'status.needContent') show(error, false);
  };
  const voice = mountVoiceRecorder(byId('reply-voice-box'), {
    idPrefix: 'reply-voice',
    say: tr,
    onChange: (file) => {
      hideNeed();
      voiceAttachment.onChange(file);
    },
  });
  form.addEventListener('input', hideNeed);
  form.addEventListener('change', hideNeed);

  const clear = () => {
    text.value = '';
    files.clear();
    voice.clear();
    voiceAttachment.reset();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const session = current();
    if (!session) return;
    show(error, false);
    const message = text.value.trim();
    await voiceAttachment.attached(); // a recording just stopped is in the list before it is counted
    if (!message && files.count() === 0) {
      tr(error, 'status.needContent');
      show(error);
      text.focus();
      return;
    }
    setBusy(form, true);
    tr(status, files.count() > 0 ? 'attach.sending' : 'status.sending');
    try {
      const prepared = await files.prepare();
      tr(status, 'status.sending');
      await session.send(message, prepared, () => tr(status, 'net.waiting'));
      clear();
      tr(status, 'status.sent');
    } catch (failure) {
      if (failure instanceof ApiError && /^upload_/.test(failure.code)) files.resetUploads();
      status.textContent = '';
      if (isTransient(failure)) {
        tr(error, 'net.replyUnsure'); // it may have arrived; sending again cannot store it twice
      } else {
        const reason = failure instanceof AttachmentsNotReadyError ? t('attach.notReady') : describeError(failure);
        tr(error, 'status.sendFailed', { reason });
      }
      show(error);
      return;
    } finally {
      setBusy(form, false);
    }
    try {
      onUpdated(await session.load());
    } catch {
      // The message is sent; the thread shows it next time the case is opened.
    }
  });
  return { clear };
}
