/**
 * Opening and sealing reports and messages, shared by the status page and
 * the team workspace. Works with whichever way the page loaded crypto/.
 */
import type { ThreadMessage } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import { asMessage, asReport, newMessage } from './content.ts';
import { assertCiphertext, uniqueKeys, type CryptoModule, type UnlockedKey } from './crypto.ts';

export interface OpenedMessage {
  id: string;
  from: ThreadMessage['from'];
  day: string;
  /** undefined when the message could not be decrypted or is malformed. */
  text: string | undefined;
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
      let text: string | undefined;
      try {
        text = asMessage(await crypto.decryptJson({ ciphertext: message.body, key }))?.text;
      } catch {
        text = undefined;
      }
      return { id: message.id, from: message.from, day: message.day, text };
    }),
  );
}

/** Encrypts a thread message to the team's keys and the reporter's key. */
export async function sealMessage(crypto: CryptoModule, text: string, teamKeys: readonly string[], reporterPublicKey: string): Promise<string> {
  const recipients = uniqueKeys([...teamKeys, reporterPublicKey]);
  return assertCiphertext(crypto, await crypto.encryptJson({ value: newMessage(text), recipients }));
}
