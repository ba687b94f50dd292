/**
 * Opening and sealing reports and messages, shared by the status page and
 * the team workspace. Works with whichever way the page loaded crypto/.
 */
import type { AttachmentRef, ThreadMessage } from '../../common/api.ts';
import type { MessageContent, ReportContent } from '../../common/report.ts';
import { asMessage, asReport, newMessage } from './content.ts';
import { assertCiphertext, uniqueKeys, type CryptoModule, type UnlockedKey } from './crypto.ts';

export interface OpenedMessage {
  id: string;
  from: ThreadMessage['from'];
  day: string;
  /** undefined when the message could not be decrypted or is malformed. */
  text: string | undefined;
  /** The whole decrypted message (its kind and fields); undefined like `text`. */
  content: MessageContent | undefined;
  /** Files the server stores with this message (their names are in `content.attachments`). */
  attachments: AttachmentRef[];
}

export async function openReport(crypto: CryptoModule, key: UnlockedKey, ciphertext: string): Promise<ReportContent | undefined> {
  try {
    return asReport(await crypto.decryptJson({ ciphertext, key }));
  } catch {
    return undefined;
  }
}

export async function openThread(crypto: CryptoModule, key: UnlockedKey, messages: readonly ThreadMessage[]): Promise<OpenedMessage[]> {
  return Promise.all(
    messages.map(async (message) => {
      let content: MessageContent | undefined;
      try {
        content = asMessage(await crypto.decryptJson({ ciphertext: message.body, key }));
      } catch {
        content = undefined;
      }
      return { id: message.id, from: message.from, day: message.day, text: content?.text, content, attachments: message.attachments ?? [] };
    }),
  );
}

/** Encrypts a thread message to the team's keys and the reporter's key. */
export async function sealMessage(crypto: CryptoModule, text: string, teamKeys: readonly string[], reporterPublicKey: string): Promise<string> {
  return sealContent(crypto, newMessage(text), teamKeys, reporterPublicKey);
}

/** Like sealMessage, for a message of any kind (retaliation, transcript, …). */
export async function sealContent(
  crypto: CryptoModule, content: MessageContent, teamKeys: readonly string[], reporterPublicKey: string,
): Promise<string> {
  const recipients = uniqueKeys([...teamKeys, reporterPublicKey]);
  return assertCiphertext(crypto, await crypto.encryptJson({ value: content, recipients }));
}
