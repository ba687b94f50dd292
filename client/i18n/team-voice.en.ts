/**
 * English catalog for the team's voice reply (client/team/reply-voice.ts):
 * the recorder's texts (client/voice/recorder.ts `VOICE_TEXTS`, under
 * `replyVoice.` instead of `voice.`), said to an investigator rather than to
 * a worker. Spread into ./team.en.ts; the same key rules apply.
 */
export const teamVoiceEn = {
  'replyVoice.heading': 'Voice reply (optional)',
  'replyVoice.hint': 'For a reporter who reads little: speak your answer. Up to {minutes} minutes. It is encrypted in this browser to the reporter and your team, like a written reply.',
  'replyVoice.record': 'Record',
  'replyVoice.stop': 'Stop',
  'replyVoice.play': 'Listen',
  'replyVoice.pause': 'Pause',
  'replyVoice.delete': 'Delete',
  'replyVoice.time': '{elapsed} of {max}',
  'replyVoice.recording': 'Recording… Speak now. Press “Stop” when you are done.',
  'replyVoice.processing': 'Preparing the recording…',
  'replyVoice.ready': 'Done. Press “Listen” to hear what the reporter will hear.',
  'replyVoice.limitReached': 'The recording stopped at {max}: a voice reply cannot be longer.',
  'replyVoice.deleted': 'The recording was deleted.',
  'replyVoice.disguised': 'Your voice is disguised: it sounds like another person.',
  'replyVoice.notDisguised': 'Your real voice will be sent.',
  'replyVoice.disguiseOff': 'Use my real voice',
  'replyVoice.disguiseOn': 'Disguise my voice',
  'replyVoice.disguiseWarning': 'With your real voice, anyone who hears the message on the reporter’s phone could recognise you. Keep the disguise if that could put you or the reporter at risk.',
  'replyVoice.disguiseKeep': 'Keep the disguise',
  'replyVoice.disguiseConfirm': 'Use my real voice',
  'replyVoice.disguiseLimits': 'The disguise changes the sound of your voice, not your words or the sounds around you.',
  'replyVoice.unsupported': 'This browser cannot record sound. You can still write a reply.',
  'replyVoice.denied': 'The microphone is not allowed for this page. Allow it in the browser settings, then press “Record” again.',
  'replyVoice.noMic': 'No microphone was found.',
  'replyVoice.failed': 'The recording did not work. Press “Record” to try again.',
  'replyVoice.playFailed': 'This browser cannot play the recording, but it can still be sent.',
  'replyVoice.encrypting': 'Encrypting the voice reply…',
  'replyVoice.notTranscript': 'A transcript is sent in writing only, for the reporter to approve word for word. Delete the recording or untick “transcript”.',
} as const;
