/**
 * Internal notes, team only: sealed in this browser to the case's `noteKeys`
 * (its teams' investigators not excluded, and recovery keys — never the
 * reporter) and shown in a panel that looks unlike the thread with the
 * reporter. The risk rationale (risk.ts) is sealed the same way.
 */
import type { CaseDetail } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import * as crypto from '../../crypto/index.ts';
import { formatDay, t } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import { assertCiphertext, uniqueKeys } from '../lib/crypto.ts';
import { teamPost } from '../accounts/api.ts';
import { withKey } from '../accounts/keyring.ts';
import { requireCaseKeys } from '../accounts/trust.ts';
import { labelled, panel, workForm } from './work-form.ts';

interface TeamOnlyText {
  v: 1;
  kind: 'note' | 'risk';
  text: string;
}

/** Encrypts a team-only text to exactly `noteKeys`. */
export async function sealTeamOnly(kind: TeamOnlyText['kind'], text: string, noteKeys: readonly string[]): Promise<string> {
  const value: TeamOnlyText = { v: 1, kind, text };
  return assertCiphertext(crypto, await crypto.encryptJson({ value, recipients: uniqueKeys(noteKeys) }));
}

/** The text, or undefined if it cannot be decrypted (e.g. written before this investigator joined). */
export async function openTeamOnly(body: string): Promise<string | undefined> {
  try {
    const value = (await withKey((key) => crypto.decryptJson({ ciphertext: body, key }))) as Partial<TeamOnlyText>;
    return typeof value.text === 'string' ? value.text : undefined;
  } catch {
    return undefined;
  }
}

export async function notesPanel(detail: CaseDetail, reload: () => Promise<void>): Promise<HTMLElement> {
  const texts = await Promise.all(detail.notes.map((n) => openTeamOnly(n.body)));
  const list = h('ol', { id: 'case-notes', class: 'notes' },
    ...detail.notes.map((note, i) =>
      h('li', { class: 'internal-note' },
        h('p', { class: 'meta', text: t('work.noteMeta', { by: note.by, date: formatDay(note.day, 'medium') }) }),
        h('p', { class: texts[i] === undefined ? 'notice error' : 'note-text', text: texts[i] ?? t('work.noteUnreadable') }))));
  const text = h('textarea', { id: 'case-note', attrs: { rows: '3', maxlength: String(LIMITS.messageChars) } });
  const form = workForm('case-note-form', 'work.noteAdd', labelled(text, 'work.note', 'work.noteHint'), async (fail) => {
    const value = text.value.trim();
    if (!value) return fail(t('work.noteEmpty'));
    await requireCaseKeys(detail, detail.noteKeys, { reporter: false });
    const body = await sealTeamOnly('note', value, detail.noteKeys);
    await teamPost(`/api/cases/${encodeURIComponent(detail.case.id)}/notes`, { body });
    text.value = '';
    await reload();
  });
  return panel('case-notes-panel', 'work.notesHeading', 'internal',
    h('p', { class: 'hint', text: t('work.notesIntro') }),
    detail.notes.length ? list : h('p', { id: 'case-notes', class: 'muted', text: t('work.notesEmpty') }), form);
}
