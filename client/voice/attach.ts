/**
 * Connects a voice recorder to a list of attachments: each new version of the
 * recording (a new take, disguise switched off or on again) replaces the one
 * before in the list; deleting the recording takes it out. Calls run one after
 * the other, so quick taps cannot leave two recordings attached.
 *
 * Report form: `attachVoice({ add: addAttachment, remove: removeAttachment })`
 * with client/report/attachments.ts. Any other list with the same two
 * functions (the status page's reply) can use it too.
 */

export interface AttachmentList {
  /** Resolves with the attachment's id, or undefined if the list refused it (and said why). */
  add(file: File, opts: { kind: 'voice' }): Promise<string | undefined>;
  remove(id: string): void;
}

export interface VoiceAttachment {
  /** Give this to mountVoiceRecorder as `onChange`. */
  onChange(file: File | null): void;
  /** Whether a recording is in the list, once the changes under way are done. */
  attached(): Promise<boolean>;
  /** Forgets the id after the list itself was cleared (the report was sent). */
  reset(): void;
}

export function attachVoice(list: AttachmentList): VoiceAttachment {
  let id: string | undefined;
  let queue = Promise.resolve();
  return {
    onChange(file) {
      queue = queue.then(async () => {
        if (id) list.remove(id);
        id = undefined;
        if (file) id = await list.add(file, { kind: 'voice' }).catch(() => undefined);
        // a newer version arrived while this one was being added: it will replace this one next
      });
    },
    attached: async () => {
      await queue;
      return id !== undefined;
    },
    reset() {
      id = undefined;
    },
  };
}
