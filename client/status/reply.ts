/** The reporter's reply box: encrypt on this phone, send, then reload the thread. */
import { LIMITS } from '../../common/limits.ts';
import { tr } from '../i18n/index.ts';
import { byId, setBusy, show } from '../lib/dom.ts';
import { describeError } from '../lib/worker-errors.ts';
import type { CaseState, ReporterSession } from './session.ts';

export function mountReply(current: () => ReporterSession | undefined, onUpdated: (state: CaseState) => void): void {
  const form = byId<HTMLFormElement>('reply-form');
  const text = byId<HTMLTextAreaElement>('reply-text');
  const status = byId('reply-status');
  const error = byId('reply-error');
  text.maxLength = LIMITS.messageChars;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const session = current();
    if (!session) return;
    show(error, false);
    const message = text.value.trim();
    if (!message) {
      tr(error, 'status.needText');
      show(error);
      text.focus();
      return;
    }
    setBusy(form, true);
    tr(status, 'status.sending');
    try {
      await session.send(message);
      text.value = '';
      tr(status, 'status.sent');
    } catch (failure) {
      status.textContent = '';
      tr(error, 'status.sendFailed', { reason: describeError(failure) });
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
}
