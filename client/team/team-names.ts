/**
 * The team's name in each worker language (docs/protocol.md, "v2: team names
 * in the worker's language"): administrators type it, and their browser signs
 * each name with their own key before saving, over the team id and the
 * recovery fingerprint from their key envelope (never the server's field when
 * the envelope has one). The report form shows a name only when that
 * signature checks against a key the pinned recovery key certified; anyone
 * else sees the saved names read-only.
 *
 * Test hooks: #team-names (container), #team-names-panel, inputs
 * #team-name-<lang>, #team-names-form-submit, #team-names-form-error.
 */
import type { TeamNameEntry, TeamNamesView } from '../../common/api.ts';
import { LIMITS, WORKER_LANGUAGES, type WorkerLanguageCode } from '../../common/limits.ts';
import * as crypto from '../../crypto/index.ts';
import { WORKER_LANGUAGE_NAMES } from '../i18n/language-names.ts';
import { t } from '../i18n/team.ts';
import { byId, h } from '../lib/dom.ts';
import { teamGet, teamPut } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { session, trustRoot, withKey } from '../accounts/keyring.ts';
import { panel, workForm } from './work-form.ts';

/** The language's own name for itself ("Tiếng Việt"), as the report form's picker says it. */
const nativeName = (lang: string): string => WORKER_LANGUAGE_NAMES[lang as WorkerLanguageCode] ?? lang;

export async function showTeamNames(): Promise<void> {
  const container = byId('team-names');
  try {
    const current = await teamGet<TeamNamesView>('/api/team/names');
    const saved = new Map(current.names.map((n) => [n.lang, n.name]));
    if (session()?.investigator.role !== 'admin') {
      const list = h('ul', { id: 'team-names-list' }, ...current.names.map((n) => h('li', { text: `${nativeName(n.lang)}: ${n.name}`, attrs: { dir: 'auto' } })));
      container.replaceChildren(panel('team-names-panel', 'teamNames.heading', '', current.names.length ? list : h('p', { text: t('teamNames.none') })));
      return;
    }
    const inputs = WORKER_LANGUAGES.map((lang) => {
      const input = h('input', { id: `team-name-${lang}`, attrs: { type: 'text', maxlength: String(LIMITS.teamNameChars), lang, dir: 'auto', autocomplete: 'off' } });
      input.value = saved.get(lang) ?? '';
      return { lang, input };
    });
    const fields = inputs.flatMap(({ lang, input }) => [h('label', { text: nativeName(lang), attrs: { for: input.id, lang } }), input]);
    const form = workForm('team-names-form', 'teamNames.save', fields, async (fail) => {
      const typed = inputs.map(({ lang, input }) => ({ lang, name: input.value.trim() })).filter((n) => n.name !== '');
      const tooLong = typed.find((n) => n.name.length > LIMITS.teamNameChars);
      if (tooLong) return fail(t('teamNames.tooLong', { language: nativeName(tooLong.lang), max: LIMITS.teamNameChars }));
      // The fingerprint the names are signed over: the one sealed in this investigator's envelope.
      const recovery = trustRoot()?.root ?? null;
      if (!recovery) return fail(t('teamNames.noRoot'));
      const names: TeamNameEntry[] = await withKey((key) => Promise.all(typed.map(async (n) => ({
        lang: n.lang as TeamNameEntry['lang'], name: n.name,
        signature: await crypto.signTeamName({ teamId: current.teamId, recovery: recovery.toLowerCase(), lang: n.lang, name: n.name, key }),
      }))));
      await teamPut<TeamNamesView>('/api/team/names', { names });
      await showTeamNames();
    });
    container.replaceChildren(panel('team-names-panel', 'teamNames.heading', '',
      h('p', { class: 'hint', text: t('teamNames.hint') }), form));
  } catch (error) {
    container.textContent = problem(error);
  }
}
