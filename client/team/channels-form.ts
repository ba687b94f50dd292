/**
 * The form that creates or edits an intake channel (./channels.ts): name,
 * address (new channels only), the workers' languages in order, the teams
 * offered in order (ticked for the worker or not, what each team is to these
 * workers, a short note), who runs it, local places to report and notes.
 * Everything on it is public and stored in the clear — the form says so.
 * When an edit changes the offered teams, it warns before saving that the
 * report link changes and posters must be printed again. The server checks
 * every rule again (server/channels/rules.ts); its refusals are shown as
 * they come.
 *
 * Test hooks: #channel-form, #channel-name, #channel-slug, #channel-lang-<code>
 * (checkbox), #channel-team-<id> (offered), #channel-pre-<id> (ticked for the
 * worker), #channel-role-<id>, #channel-note-<id>, #channel-run-by,
 * #channel-notes, #channel-contacts (rows: .contact-name, .contact-reach,
 * .contact-note), #channel-add-contact, #channel-pins-warning,
 * #channel-form-submit, #channel-form-error.
 */
import type { AdminChannel, ChannelSaved, ChannelTeamChoices } from '../../common/api.ts';
import { CHANNEL_LIMITS, CHANNEL_TEAM_ROLES, LIMITS, WORKER_LANGUAGES } from '../../common/limits.ts';
import { t, type TeamMessageKey } from '../i18n/team.ts';
import { h, setBusy, show } from '../lib/dom.ts';
import { teamPost, teamPut } from '../accounts/api.ts';
import { contactRows, movable, orderedTicked } from './channels-rows.ts';
import { problem } from '../accounts/errors.ts';

/** Each worker language in its own name (the worker catalogs are not loaded on the team page). */
export const LANGUAGE_LABELS: Readonly<Record<string, string>> = {
  en: 'English', 'zh-CN': '简体中文', vi: 'Tiếng Việt', id: 'Bahasa Indonesia', hi: 'हिन्दी', es: 'Español', th: 'ไทย', ms: 'Bahasa Melayu',
  bn: 'বাংলা', km: 'ខ្មែរ', my: 'မြန်မာ', ne: 'नेपाली', ur: 'اردو', ta: 'தமிழ்', te: 'తెలుగు', tl: 'Tagalog', 'pt-BR': 'Português (Brasil)', tr: 'Türkçe',
};

type Choices = ChannelTeamChoices['teams'];

const field = (label: TeamMessageKey, control: HTMLElement & { id: string }, hint?: TeamMessageKey) => {
  const hintEl = hint ? h('p', { id: `${control.id}-hint`, class: 'hint', text: t(hint) }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { text: t(label), attrs: { for: control.id } }), hintEl, control);
};
const text = (id: string, value: string, max: number) => {
  const input = h('input', { id, attrs: { type: 'text', maxlength: String(max), autocomplete: 'off', dir: 'auto' } });
  input.value = value;
  return input;
};
const area = (id: string, value: string, max: number) => {
  const box = h('textarea', { id, attrs: { rows: '3', maxlength: String(max), dir: 'auto' } });
  box.value = value;
  return box;
};

export function channelForm(options: {
  channel: AdminChannel | undefined;
  teams: Choices;
  onSaved(saved: ChannelSaved): Promise<void>;
  onCancel(): void;
}): HTMLElement {
  const { channel } = options;
  const name = text('channel-name', channel?.name ?? '', LIMITS.channelNameChars);
  const slug = text('channel-slug', '', 48);
  slug.setAttribute('pattern', '[a-z0-9-]+');

  // Languages: the channel's first, in its order, then the others.
  const langOrder = [...(channel?.languages ?? []), ...WORKER_LANGUAGES.filter((l) => !channel?.languages.includes(l))];
  const languages = movable('channel-langs', langOrder.map((code) => ({
    key: code, ticked: channel ? channel.languages.includes(code) : code === 'en',
    label: LANGUAGE_LABELS[code] ?? code, checkId: `channel-lang-${code}`, extra: [],
  })));

  // Teams: the channel's in its order, then every other team of the deployment.
  const offered = new Map((channel?.teams ?? []).map((team) => [team.id, team]));
  const teamOrder = [...(channel?.teams.map((team) => team.id) ?? []), ...options.teams.map((team) => team.id).filter((id) => !offered.has(id))];
  const byTeam = new Map(options.teams.map((team) => [team.id, team]));
  const teamRows = movable('channel-teams', teamOrder.flatMap((id) => {
    const choice = byTeam.get(id);
    const current = offered.get(id);
    if (!choice && !current) return [];
    const pre = h('input', { id: `channel-pre-${id}`, attrs: { type: 'checkbox' } });
    pre.checked = current?.preselected ?? false;
    const role = h('select', { id: `channel-role-${id}` },
      h('option', { text: t('channels.role.none'), attrs: { value: '' } }),
      ...CHANNEL_TEAM_ROLES.map((r) => h('option', { text: t(`channels.role.${r}`), attrs: { value: r } })));
    role.value = current?.role ?? '';
    const note = text(`channel-note-${id}`, current?.note ?? '', CHANNEL_LIMITS.teamNoteChars);
    return [{
      key: id, ticked: current !== undefined, label: choice?.name ?? current!.name, checkId: `channel-team-${id}`,
      extra: [
        h('label', { class: 'check' }, pre, h('span', { text: t('channels.preselect') })),
        field('channels.role', role), field('channels.note', note),
        choice?.investigators === 0 ? h('p', { class: 'warn', text: t('channels.noInvestigators') }) : null,
      ],
    }];
  }));

  const runBy = area('channel-run-by', channel?.runBy ?? '', CHANNEL_LIMITS.runByChars);
  const notes = area('channel-notes', channel?.notes ?? '', CHANNEL_LIMITS.notesChars);
  const contacts = contactRows(channel?.contacts ?? []);

  const pinsWarning = h('p', { id: 'channel-pins-warning', class: 'notice warn', text: t('channels.pinsWarning'), attrs: { role: 'status' } });
  show(pinsWarning, false);
  const before = channel?.teams.map((team) => team.id).join(',');
  const onTeamsChange = () => show(pinsWarning, channel !== undefined && orderedTicked(teamRows.list).join(',') !== before);
  teamRows.list.addEventListener('change', onTeamsChange);
  teamRows.list.addEventListener('click', () => queueMicrotask(onTeamsChange));

  const error = h('p', { id: 'channel-form-error', class: 'notice error', attrs: { role: 'alert' } });
  show(error, false);
  const status = h('p', { class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  const submit = h('button', { id: 'channel-form-submit', class: 'btn primary', text: t('channels.save'), attrs: { type: 'submit' } });
  const cancel = h('button', { class: 'btn', text: t('channels.cancel'), attrs: { type: 'button' } });
  cancel.addEventListener('click', options.onCancel);

  const form = h('form', { id: 'channel-form', class: 'stack channel-form work-panel', attrs: { novalidate: '' } },
    h('h2', { id: 'channel-form-heading', text: channel ? t('channels.formEdit', { channel: channel.name }) : t('channels.formNew') }),
    h('p', { class: 'notice warn', text: t('channels.public') }),
    field('channels.name', name),
    channel ? h('p', { text: t('channels.slugFixed', { slug: channel.slug }) }) : field('channels.slugField', slug, 'channels.slugHint'),
    h('fieldset', { class: 'field' }, h('legend', { text: t('channels.languagesField') }), h('p', { class: 'hint', text: t('channels.languagesHint') }), languages.list),
    h('fieldset', { class: 'field' }, h('legend', { text: t('channels.teamsField') }), h('p', { class: 'hint', text: t('channels.teamsHint') }), teamRows.list),
    pinsWarning,
    field('channels.runBy', runBy),
    h('fieldset', { class: 'field' }, h('legend', { text: t('channels.contacts') }), contacts.element),
    field('channels.notes', notes),
    h('div', { class: 'button-row' }, submit, cancel), status, error,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(error, false);
    const teamIds = orderedTicked(teamRows.list);
    const body = {
      name: name.value.trim(),
      languages: orderedTicked(languages.list),
      teams: teamIds.map((id) => ({ teamId: id, role: (form.querySelector<HTMLSelectElement>(`#channel-role-${id}`)?.value || null) as AdminChannel['teams'][number]['role'], note: form.querySelector<HTMLInputElement>(`#channel-note-${id}`)?.value.trim() ?? '' })),
      preselected: teamIds.filter((id) => form.querySelector<HTMLInputElement>(`#channel-pre-${id}`)?.checked),
      runBy: runBy.value.trim(),
      contacts: contacts.read(),
      notes: notes.value.trim(),
    };
    const fail = (message: string) => {
      error.textContent = message;
      show(error);
    };
    if (body.languages.length === 0) return fail(t('channels.needLanguage'));
    if (body.teams.length === 0 || body.preselected.length === 0) return fail(t('channels.needTeam'));
    setBusy(form, true);
    status.textContent = t('work.saving');
    try {
      const saved = channel
        ? await teamPut<ChannelSaved>(`/api/admin/channels/${encodeURIComponent(channel.slug)}`, body)
        : await teamPost<ChannelSaved>('/api/admin/channels', { ...body, slug: slug.value.trim() });
      await options.onSaved(saved);
    } catch (failure) {
      fail(problem(failure));
    } finally {
      status.textContent = '';
      setBusy(form, false);
    }
  });
  return form;
}
