import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, type MessageContent } from '../../common/report.ts';
import { asMessage, newMessage } from './content.ts';

const EXAMPLES: Record<(typeof MESSAGE_KINDS)[number], MessageContent> = {
  message: { v: 1, kind: 'message', text: 'hello' },
  retaliation: { v: 1, kind: 'retaliation', text: 'moved to nights', when: 'Monday' },
  meeting_request: { v: 1, kind: 'meeting_request', text: '', preferred: 'canteen' },
  transcript: { v: 1, kind: 'transcript', text: 'minutes' },
  transcript_response: { v: 1, kind: 'transcript_response', text: 'fix', transcriptMessageId: 'm1', approves: false, correction: 'fix' },
  satisfaction: { v: 1, kind: 'satisfaction', text: '', level: 4 },
};

describe('asMessage', () => {
  it.each(MESSAGE_KINDS.map((kind) => [kind]))('reads back a %s message', (kind) => {
    expect(asMessage(JSON.parse(JSON.stringify(EXAMPLES[kind])))).toEqual(EXAMPLES[kind]);
  });

  it('reads a message without a kind (written before kinds existed) as a plain message', () => {
    expect(asMessage({ v: 1, text: 'old' })).toEqual(newMessage('old'));
  });

  it('refuses unknown kinds and missing or wrongly typed fields', () => {
    expect(asMessage({ v: 1, kind: 'plaintext_upload', text: 'x' })).toBeUndefined();
    expect(asMessage({ v: 1, kind: 'retaliation', text: 'x' })).toBeUndefined();
    expect(asMessage({ v: 1, kind: 'transcript_response', text: '', transcriptMessageId: 'm1', approves: 'yes' })).toBeUndefined();
    expect(asMessage({ v: 1, kind: 'satisfaction', text: '', level: 9 })).toBeUndefined();
  });

  it('keeps only the fields of the kind', () => {
    expect(asMessage({ v: 1, kind: 'transcript', text: 't', extra: '<script>' })).toEqual({ v: 1, kind: 'transcript', text: 't' });
  });

  it('keeps the well-formed attachments of a plain message, and drops the others', () => {
    const photo = { id: 'a1b2c3d4e5f6a7b8c9d0e1', name: 'IMG_1.jpg', type: 'image/jpeg', size: 1200, kind: 'file' };
    expect(asMessage({ v: 1, kind: 'message', text: '', attachments: [photo, { id: 'x', name: 7 }, null] }))
      .toEqual({ v: 1, kind: 'message', text: '', attachments: [photo] });
    expect(asMessage({ v: 1, kind: 'message', text: 'hi', attachments: 'nope' })).toEqual(newMessage('hi'));
  });
});
