/**
 * The form of "New report on behalf of a worker" (#/on-behalf): the fields of
 * the worker's form (common/report.ts), plus the channel and team(s), how the
 * report was received and the worker's language. Builds the DOM once; reads
 * it into the content that is encrypted (the mode goes inside it).
 */
import type { ChannelInfo } from '../../../common/api.ts';
import { LIMITS } from '../../../common/limits.ts';
import { REPORT_VERSION, type ReportContent } from '../../../common/report.ts';
import { t, type TeamMessageKey } from '../../i18n/team.ts';
import { LANGUAGE_NAMES, WORKER_LANGUAGES, type WorkerLanguage } from '../../lib/slip-texts.ts';
import { categoryChoices } from '../category-label.ts';
import { byId, h } from '../../lib/dom.ts';

export const RECEIVED_VIA = ['paper', 'in_person', 'phone'] as const;
export type ReceivedVia = (typeof RECEIVED_VIA)[number];

/** What the team's browser encrypts: a worker's report, and how it reached the team. */
export type OnBehalfContent = ReportContent & { receivedVia: ReceivedVia }; // ReceivedVia matches ReportContent['receivedVia']

const TEXTS = ['what', 'when', 'where', 'involved', 'wish', 'contact'] as const;
const LONG = new Set<string>(['what', 'involved', 'wish']);

function field(key: TeamMessageKey, control: HTMLElement, hint?: TeamMessageKey): HTMLElement {
  return h('div', { class: 'field' }, h('label', { text: t(key), attrs: { for: control.id } }), hint ? h('p', { class: 'hint', text: t(hint) }) : null, control);
}

function select(id: string, options: { value: string; label: string }[]): HTMLSelectElement {
  return h('select', { id }, ...options.map((o) => h('option', { text: o.label, attrs: { value: o.value } })));
}

export function buildForm(form: HTMLFormElement): void {
  const channel = h('input', { id: 'ob-channel', attrs: { type: 'text', list: 'ob-channel-list', autocomplete: 'off', spellcheck: 'false' } });
  const modes = h(
    'fieldset',
    { id: 'ob-mode', class: 'field' },
    h('legend', { text: t('onBehalf.mode') }),
    ...RECEIVED_VIA.map((mode) => h('label', { class: 'check' },
      h('input', { id: `ob-mode-${mode}`, attrs: { type: 'radio', name: 'ob-mode', value: mode } }),
      h('span', { text: t(`onBehalf.mode.${mode}`) }))),
  );
  const texts = TEXTS.map((name) => {
    const control = LONG.has(name)
      ? h('textarea', { id: `ob-${name}`, attrs: { rows: name === 'what' ? '6' : '3', maxlength: String(LIMITS.reportFieldChars) } })
      : h('input', { id: `ob-${name}`, attrs: { type: 'text', autocomplete: 'off', maxlength: String(LIMITS.reportFieldChars) } });
    return field(`onBehalf.field.${name}`, control, name === 'contact' || name === 'involved' ? 'onBehalf.carefulHint' : undefined);
  });
  form.replaceChildren(
    field('onBehalf.channel', channel, 'onBehalf.channelHint'),
    h('datalist', { id: 'ob-channel-list' }),
    h('fieldset', { id: 'ob-teams', class: 'field' }, h('legend', { text: t('onBehalf.teams') })),
    modes,
    field('onBehalf.lang', select('ob-lang', WORKER_LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))), 'onBehalf.langHint'),
    field('onBehalf.field.category', select('ob-category', categoryChoices().map((c) => ({ value: c.key, label: c.label })))),
    texts[0]!, texts[1]!, texts[2]!,
    field('onBehalf.field.ongoing', select('ob-ongoing', (['unknown', 'yes', 'no'] as const).map((v) => ({ value: v, label: t(`onBehalf.ongoing.${v}`) })))),
    ...texts.slice(3),
    h('button', { id: 'ob-submit', class: 'btn primary big', text: t('onBehalf.submit'), attrs: { type: 'submit' } }),
    h('p', { id: 'ob-progress', class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } }),
    h('p', { id: 'ob-error', class: 'notice error', attrs: { role: 'alert', hidden: '' } }),
  );
}

/** The channels the team has cases from, offered as suggestions. */
export function suggestChannels(slugs: readonly string[]): void {
  byId('ob-channel-list').replaceChildren(...[...new Set(slugs)].sort().map((slug) => h('option', { attrs: { value: slug } })));
}

/**
 * Checkboxes for the channel's teams that can receive reports; the investigator's own team is ticked.
 * `shown` is the channel's name (kept in `data-channel`), or 'loading' while its teams are fetched.
 */
export function showTeams(channel: ChannelInfo | undefined, ownTeamId: string, shown?: string): void {
  const box = byId('ob-teams');
  const legend = h('legend', { text: t('onBehalf.teams') });
  box.setAttribute('aria-busy', String(shown === 'loading'));
  if (shown && shown !== 'loading') box.setAttribute('data-channel', shown);
  else box.removeAttribute('data-channel');
  if (shown === 'loading') return void box.replaceChildren(legend, h('p', { class: 'muted', text: t('onBehalf.step.channel') }));
  if (!channel) return void box.replaceChildren(legend, h('p', { class: 'muted', text: t('onBehalf.noChannel') }));
  box.replaceChildren(legend, ...channel.teams.filter((team) => team.recipientKeys.length > 0).map((team) => {
    const input = h('input', { id: `ob-team-${team.id}`, attrs: { type: 'checkbox', value: team.id } });
    input.checked = team.id === ownTeamId;
    return h('label', { class: 'check' }, input, h('span', { text: team.name }));
  }));
}

export type ReadResult =
  | { ok: true; content: OnBehalfContent; teamIds: string[]; lang: WorkerLanguage }
  | { ok: false; problem: TeamMessageKey; focus: string };

export function readForm(): ReadResult {
  const value = (id: string) => byId<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(id).value.trim();
  const teamIds = [...byId('ob-teams').querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  const mode = document.querySelector<HTMLInputElement>('input[name="ob-mode"]:checked')?.value as ReceivedVia | undefined;
  if (teamIds.length === 0) return { ok: false, problem: 'onBehalf.needTeam', focus: 'ob-channel' };
  if (!mode) return { ok: false, problem: 'onBehalf.needMode', focus: 'ob-mode-paper' };
  if (!value('ob-what')) return { ok: false, problem: 'onBehalf.needWhat', focus: 'ob-what' };
  const lang = value('ob-lang') as WorkerLanguage;
  return {
    ok: true,
    teamIds,
    lang,
    content: {
      v: REPORT_VERSION, lang, category: value('ob-category'),
      what: value('ob-what'), when: value('ob-when'), where: value('ob-where'),
      ongoing: value('ob-ongoing') as ReportContent['ongoing'],
      involved: value('ob-involved'), wish: value('ob-wish'), contact: value('ob-contact'),
      receivedVia: mode,
    },
  };
}

export function clearForm(form: HTMLFormElement): void {
  form.reset();
}
