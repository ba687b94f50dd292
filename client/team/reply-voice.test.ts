import { describe, expect, it } from 'vitest';
import { teamEn } from '../i18n/team.en.ts';
import { VOICE_TEXTS } from '../voice/recorder.ts';

describe('the team voice reply’s words', () => {
  it('has an investigator’s text for every text of the recorder', () => {
    const missing = VOICE_TEXTS.map((key) => `replyVoice.${key.slice('voice.'.length)}`).filter((key) => !(key in teamEn));
    expect(missing).toEqual([]);
  });
});
