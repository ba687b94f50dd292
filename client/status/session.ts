/**
 * The reporter's open case, held in memory only: the credentials derived
 * from the token (the token itself is dropped at once), the unwrapped
 * reporter key, and what was decrypted with it. `close()` wipes the key.
 */
import type { ReporterCredentials, StatusBindRequest, StatusView } from '../../common/api.ts';
import type { AttachmentMeta, MessageContent, ReportContent } from '../../common/report.ts';
import { postJson } from '../lib/api.ts';
import { ANSWER_WITHIN_MS, isTransient, untilAnswered } from '../lib/resend.ts';
import { loadCrypto, uniqueKeys, type CryptoModule, type UnlockedKey } from '../lib/crypto.ts';
import { newMessage } from '../lib/content.ts';
import { openReport, openThread, sealContent, type OpenedMessage } from '../lib/thread.ts';
import { fetchCiphertext, type AttachmentSource } from '../media/attachment-open.ts';
import { checkedTeamKeys, checkReporterKey, firstVisitRecord, openCaseBinding, TrustRefusal, type TrustCode } from './trust.ts';

export interface CaseState {
  view: StatusView;
  report: ReportContent | undefined;
  messages: OpenedMessage[];
  /** Set when the server's answer failed a trust check (./trust.ts): the page refuses, and nothing is sent. */
  refusal?: TrustCode;
  /** Who reads the case: the team names the case's binding holds (what the form showed), never a server field. */
  readers?: string[];
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
  send(text: string, files?: ReplyFiles, onWaiting?: () => void): Promise<void>;
  /**
   * Exactly the keys a message (and each file sent with it) is encrypted to:
   * the checked team keys and the public half of the reporter key this page
   * holds. Throws TrustRefusal when the server's last answer failed a check.
   */
  recipients(): string[];
  /** The case's files: fetched with the credentials (POST /api/status/attachments/:id), decrypted on this phone. */
  files: AttachmentSource;
  /**
   * Encrypts a message of any kind to the case's recipients and posts it. Unanswered tries are repeated
   * with the same ciphertext (`onWaiting` before each pause; client/lib/resend.ts).
   */
  sendContent(content: MessageContent, endpoint?: ReporterEndpoint, onWaiting?: () => void): Promise<void>;
  close(): void;
}

async function decryptView(crypto: CryptoModule, key: UnlockedKey, view: StatusView): Promise<CaseState> {
  const [report, messages] = await Promise.all([openReport(crypto, key, view.report), openThread(crypto, key, view.messages)]);
  return { view, report, messages };
}

/** v2 first: a key wrapped by a v2 form says its case must carry a binding. Throws WrongKeyError for a wrong token. */
async function unwrapReporterKey(crypto: CryptoModule, wrapped: string, wrapKey: Uint8Array): Promise<{ key: UnlockedKey; v2: boolean }> {
  try {
    return { key: await crypto.unwrapKey({ wrapped, wrapKey, purpose: 'reporter-v2' }), v2: true };
  } catch (error) {
    if (!(error instanceof crypto.WrongKeyError)) throw error;
    return { key: await crypto.unwrapKey({ wrapped, wrapKey, purpose: 'reporter' }), v2: false };
  }
}

/**
 * Derives the secrets, fetches the case, unwraps the reporter key and checks
 * the answer against the page's trust root (./trust.ts). Throws ApiError
 * (404, 429) or WrongKeyError; a failed trust check is not thrown but
 * returned as `state.refusal`, with a session that sends nothing.
 */
export async function openSession(token: string): Promise<{ session: ReporterSession; state: CaseState }> {
  const crypto = await loadCrypto();
  const secrets = await crypto.deriveTokenSecrets(token);
  let key: UnlockedKey;
  let view: StatusView;
  let state: CaseState;
  const credentials: ReporterCredentials = { lookupId: secrets.lookupId, verifier: secrets.verifier };
  let record: Awaited<ReturnType<typeof openCaseBinding>> | undefined;
  let refusal: TrustCode | undefined;
  try {
    view = await postJson<StatusView>('/api/status', credentials);
    const unwrapped = await unwrapReporterKey(crypto, view.wrappedReporterKey, secrets.wrapKey);
    key = unwrapped.key;
    state = await decryptView(crypto, key, view);
    try {
      await checkReporterKey(crypto, key.fingerprint, view);
      if (view.statusBinding !== null) {
        record = await openCaseBinding(crypto, view.statusBinding, secrets.bindingKey, key.fingerprint);
      } else if (unwrapped.v2) {
        throw new TrustRefusal('binding'); // a v2 case whose binding the server left out
      } else {
        // A case made before v2: bind it now, from what its report says (trust on first use).
        const first = await firstVisitRecord(crypto, view, state.report, key.fingerprint);
        await checkedTeamKeys(view, first);
        const bind: StatusBindRequest = {
          ...credentials,
          statusBinding: await crypto.sealBinding({ record: first, bindingKey: secrets.bindingKey }),
          wrappedReporterKey: await crypto.wrapKey({ key, wrapKey: secrets.wrapKey, purpose: 'reporter-v2' }),
        };
        state = await decryptView(crypto, key, await postJson<StatusView>('/api/status/bind', bind));
        view = state.view;
        record = await openCaseBinding(crypto, view.statusBinding ?? '', secrets.bindingKey, key.fingerprint);
      }
    } catch (error) {
      if (!(error instanceof TrustRefusal)) throw error;
      refusal = error.code;
    }
  } finally {
    secrets.wrapKey.fill(0);
    secrets.bindingKey.fill(0);
  }
  // Every follow-up goes to the public half of the key this page holds, never to one the server names.
  const ownPublicKey = crypto.publicKeyOf(key);
  const ownFingerprint = key.fingerprint;
  let teamKeys: string[] | undefined;
  let closed = false;
  // A view's keys are used only once they are checked: `teamKeys` changes after the check, so a reply or
  // file sealed while a refresh is being decrypted still goes to the checked keys, and none after a failed one.
  const check = async (next: CaseState): Promise<CaseState> => {
    let problem: TrustCode | undefined = refusal;
    let keys: string[] | undefined;
    if (!problem && record) {
      try {
        await checkReporterKey(crypto, ownFingerprint, next.view);
        if (next.view.statusBinding !== view.statusBinding) throw new TrustRefusal('binding');
        keys = await checkedTeamKeys(next.view, record);
      } catch (error) {
        if (!(error instanceof TrustRefusal)) throw error;
        problem = error.code;
      }
    }
    refusal = problem;
    teamKeys = problem ? undefined : keys;
    return problem ? { ...next, refusal: problem } : { ...next, readers: record?.teams.map((team) => team.name) };
  };
  const checkedKeys = (): string[] => {
    if (refusal || !teamKeys) throw new TrustRefusal(refusal ?? 'binding');
    return teamKeys;
  };
  /**
   * The message being sent, sealed once and kept until the server answers: a retry sends the same
   * ciphertext, which the server stores once (server/status/routes.ts), so a lost answer never makes
   * a second copy. Other words, files, place or keys make another message.
   */
  let held: { key: string; body: string } | undefined;
  const post = async (endpoint: ReporterEndpoint, content: MessageContent, extra: object, onWaiting?: () => void) => {
    const keys = checkedKeys();
    const key = JSON.stringify([endpoint, content, extra, keys]);
    if (held?.key !== key) held = { key, body: await sealContent(crypto, content, keys, ownPublicKey) };
    const message = held;
    try {
      await untilAnswered(() => postJson(endpoint, { ...credentials, body: message.body, ...extra }, { answerWithinMs: ANSWER_WITHIN_MS }), onWaiting);
      if (held === message) held = undefined;
    } catch (error) {
      if (!isTransient(error) && held === message) held = undefined;
      throw error;
    }
  };
  const session: ReporterSession = {
    async load() {
      const next = await postJson<StatusView>('/api/status', credentials);
      return check(await decryptView(crypto, key, next));
    },
    async send(text, files, onWaiting) {
      const content: MessageContent = newMessage(text);
      if (files && files.metas.length > 0) content.attachments = files.metas;
      const extra = files && files.ids.length > 0 ? { attachments: files.ids, uploadTicket: files.uploadTicket } : {};
      await post('/api/status/messages', content, extra, onWaiting);
    },
    recipients: () => uniqueKeys([...checkedKeys(), ownPublicKey]), // no file is encrypted to keys that failed a check
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
    async sendContent(content, endpoint = '/api/status/messages', onWaiting) {
      await post(endpoint, content, {}, onWaiting);
    },
    close() {
      if (closed) return;
      closed = true;
      key.wipe();
      credentials.lookupId = '';
      credentials.verifier = '';
    },
  };
  return { session, state: await check(state) };
}
