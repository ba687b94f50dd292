/**
 * The reporter's open case, held in memory only: the credentials derived
 * from the token (the token itself is dropped at once), the unwrapped
 * reporter key, and what was decrypted with it. `close()` wipes the key.
 */
import type { ReporterCredentials, StatusView } from '../../common/api.ts';
import type { AttachmentMeta, MessageContent, ReportContent } from '../../common/report.ts';
import { postJson } from '../lib/api.ts';
import { loadCrypto, uniqueKeys, type CryptoModule, type UnlockedKey } from '../lib/crypto.ts';
import { newMessage } from '../lib/content.ts';
import { openReport, openThread, sealContent, type OpenedMessage } from '../lib/thread.ts';
import { fetchCiphertext, type AttachmentSource } from '../media/attachment-open.ts';
import { keysVouchedFor, PinError } from '../lib/pins.ts';

export interface CaseState {
  view: StatusView;
  report: ReportContent | undefined;
  messages: OpenedMessage[];
}

/** Where a reporter's message goes: the thread, or one of the two endpoints the server must act on. */
export type ReporterEndpoint = '/api/status/messages' | '/api/status/retaliation' | '/api/status/satisfaction';

/** Files uploaded for a reply (client/media/attachment-box.ts): ids and ticket for the server, metas for inside the message. */
export interface ReplyFiles {
  uploadTicket?: string;
  ids: string[];
  metas: AttachmentMeta[];
}

export interface ReporterSession {
  load(): Promise<CaseState>;
  /** A plain message, with the files uploaded for it (stored together with it, or not at all). */
  send(text: string, files?: ReplyFiles): Promise<void>;
  /** Exactly the keys a message (and each file sent with it) is encrypted to: the team's and the reporter's. */
  recipients(): string[];
  /** The case's files: fetched with the credentials (POST /api/status/attachments/:id), decrypted on this phone. */
  files: AttachmentSource;
  /** Encrypts a message of any kind to the case's recipients and posts it. */
  sendContent(content: MessageContent, endpoint?: ReporterEndpoint): Promise<void>;
  close(): void;
}

async function decryptView(crypto: CryptoModule, key: UnlockedKey, view: StatusView): Promise<CaseState> {
  const [report, messages] = await Promise.all([openReport(crypto, key, view.report), openThread(crypto, key, view.messages)]);
  return { view, report, messages };
}

/** Derives the secrets, fetches the case and unwraps the reporter key. Throws ApiError (404, 429) or WrongKeyError. */
export async function openSession(token: string): Promise<{ session: ReporterSession; state: CaseState }> {
  const crypto = await loadCrypto();
  const secrets = await crypto.deriveTokenSecrets(token);
  let key: UnlockedKey;
  let view: StatusView;
  const credentials: ReporterCredentials = { lookupId: secrets.lookupId, verifier: secrets.verifier };
  try {
    view = await postJson<StatusView>('/api/status', credentials);
    key = await crypto.unwrapKey({ wrapped: view.wrappedReporterKey, wrapKey: secrets.wrapKey, purpose: 'reporter' });
  } finally {
    secrets.wrapKey.fill(0);
  }
  let latest = view;
  let closed = false;
  // Pinned keys: the pins inside the report vouch for the keys a follow-up goes to (client/lib/pins.ts).
  let pins: string[] | undefined;
  let vouched = true;
  // A view's keys are used only once they are checked: `latest` and `vouched` change together, after the
  // check, so a reply or file sealed while a refresh is being decrypted still goes to the checked keys.
  const check = async (state: CaseState): Promise<CaseState> => {
    pins ??= state.report?.pins;
    const ok = await keysVouchedFor(state.view.teamKeys, pins);
    vouched = ok;
    latest = state.view;
    return state;
  };
  const assertVouched = () => {
    if (!vouched) throw new PinError('uncertified');
  };
  const session: ReporterSession = {
    async load() {
      const next = await postJson<StatusView>('/api/status', credentials);
      return check(await decryptView(crypto, key, next));
    },
    async send(text, files) {
      assertVouched();
      const content: MessageContent = newMessage(text);
      if (files && files.metas.length > 0) content.attachments = files.metas;
      const body = await sealContent(crypto, content, latest.teamKeys, latest.reporterPublicKey);
      const extra = files && files.ids.length > 0 ? { attachments: files.ids, uploadTicket: files.uploadTicket } : {};
      await postJson('/api/status/messages', { ...credentials, body, ...extra });
    },
    recipients: () => {
      assertVouched(); // no file is encrypted to keys the report's pins do not vouch for
      return uniqueKeys([...latest.teamKeys, latest.reporterPublicKey]);
    },
    files: {
      fetch: (attachmentId) =>
        fetchCiphertext(`/api/status/attachments/${encodeURIComponent(attachmentId)}`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(credentials),
        }),
      async decrypt(ciphertext) {
        if (closed) throw new Error('the case was closed on this phone');
        return crypto.decryptPayload({ ciphertext, key });
      },
    },
    async sendContent(content, endpoint = '/api/status/messages') {
      assertVouched();
      const body = await sealContent(crypto, content, latest.teamKeys, latest.reporterPublicKey);
      await postJson(endpoint, { ...credentials, body });
    },
    close() {
      if (closed) return;
      closed = true;
      key.wipe();
      credentials.lookupId = '';
      credentials.verifier = '';
    },
  };
  return { session, state: await check(await decryptView(crypto, key, view)) };
}
