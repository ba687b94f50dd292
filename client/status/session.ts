/**
 * The reporter's open case, held in memory only: the credentials derived
 * from the token (the token itself is dropped at once), the unwrapped
 * reporter key, and what was decrypted with it. `close()` wipes the key.
 */
import type { ReporterCredentials, StatusView } from '../../common/api.ts';
import type { MessageContent, ReportContent } from '../../common/report.ts';
import { postJson } from '../lib/api.ts';
import { loadCrypto, type CryptoModule, type UnlockedKey } from '../lib/crypto.ts';
import { openReport, openThread, sealContent, sealMessage, type OpenedMessage } from '../lib/thread.ts';

export interface CaseState {
  view: StatusView;
  report: ReportContent | undefined;
  messages: OpenedMessage[];
}

/** Where a reporter's message goes: the thread, or one of the two endpoints the server must act on. */
export type ReporterEndpoint = '/api/status/messages' | '/api/status/retaliation' | '/api/status/satisfaction';

export interface ReporterSession {
  load(): Promise<CaseState>;
  send(text: string): Promise<void>;
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
  const session: ReporterSession = {
    async load() {
      latest = await postJson<StatusView>('/api/status', credentials);
      return decryptView(crypto, key, latest);
    },
    async send(text) {
      const body = await sealMessage(crypto, text, latest.teamKeys, latest.reporterPublicKey);
      await postJson('/api/status/messages', { ...credentials, body });
    },
    async sendContent(content, endpoint = '/api/status/messages') {
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
  return { session, state: await decryptView(crypto, key, view) };
}
