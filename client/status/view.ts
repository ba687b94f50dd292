/** Renders the reporter's case: stage timeline with dates, the thread, and their own report. */
import { STAGES } from '../../common/limits.ts';
import type { ReportContent } from '../../common/report.ts';
import { CATEGORIES, categoryLabelKey } from '../categories.ts';
import { formatDay, t, type MessageKey } from '../i18n/index.ts';
import { byId, h, show, todayDay } from '../lib/dom.ts';
import { relabelFaces, resetFollowUp } from './followup.ts';
import { reporterDecorator, type SendAnswer } from './kinds.ts';
import { renderFields, renderThread } from '../lib/render.ts';
import { attachmentEntry, type AttachmentRow, type AttachmentSource, type OpenTexts } from '../media/attachment-open.ts';
import { attachmentMetas, formatBytes, joinAttachments, renderAttachmentNames } from '../media/attachment-view.ts';
import type { OpenedMessage } from '../lib/thread.ts';
import { describeError } from '../lib/worker-errors.ts';
import type { CaseState } from './session.ts';

/** Revokes the blob URLs of previews when the thread is drawn again or the case is left. */
let releases: Array<() => void> = [];

const openTexts = (): OpenTexts => ({
  open: t('status.attachmentOpen'),
  opening: t('status.attachmentOpening'),
  save: t('status.attachmentSave'),
  // crypto/ is loaded lazily on this page, so its error class is recognised by name.
  problem: (error) => (error instanceof Error && error.name === 'DecryptError' ? t('status.attachmentUnreadable') : describeError(error)),
});

/** A picture first, for workers who read little: 🎤 a sound, 🖼️ a photo, 🎬 a video, 📄 anything else. */
function fileIcon(row: AttachmentRow): string {
  const type = row.meta?.type ?? '';
  if (row.meta?.kind === 'voice' || type.startsWith('audio/')) return '🎤';
  if (type.startsWith('image/')) return '🖼️';
  if (type.startsWith('video/')) return '🎬';
  return '📄';
}

const fileLabel = (row: AttachmentRow) =>
  `${fileIcon(row)} ${row.meta ? (row.meta.kind === 'voice' ? t('attach.voice') : row.meta.name) : t('status.attachmentUnknown')} · ${formatBytes(row.meta?.size ?? row.size)}`;

/** Under a message: the files sent with it (listed by the server, named inside the message), each with "Open". */
function messageFiles(source: AttachmentSource, message: OpenedMessage): HTMLElement | undefined {
  const rows = joinAttachments(message.attachments, attachmentMetas(message.content));
  if (rows.length === 0) return undefined;
  return h('ul', { class: 'attachment-files message-files' }, ...rows.map((row) => attachmentEntry(row, fileLabel(row), source, openTexts(), releases)));
}

function renderTimeline({ view }: CaseState): void {
  const now = STAGES.indexOf(view.stage);
  byId('stage-timeline').replaceChildren(
    ...STAGES.map((stage, i) => {
      const state = i < now ? 'done' : i === now ? 'current' : 'todo';
      const item = h('li', { class: `step ${state}`, attrs: { 'data-stage': stage } }, h('span', { class: 'step-mark', attrs: { 'aria-hidden': 'true' } }), t(`stage.${stage}`));
      if (state === 'current') {
        item.setAttribute('aria-current', 'step');
        item.append(' ', h('span', { class: 'badge', text: t('status.now') }));
      }
      return item;
    }),
  );
  const dates: string[] = [t('status.receivedOn', { date: formatDay(view.receivedDay) })];
  dates.push(
    view.acknowledgedDay
      ? t('status.ackOn', { date: formatDay(view.acknowledgedDay) })
      : t('status.ackBy', { date: formatDay(view.acknowledgeByDay) }),
  );
  if (!view.closedDay) dates.push(t('status.feedbackBy', { date: formatDay(view.feedbackByDay) }));
  else dates.push(t('status.closedOn', { date: formatDay(view.closedDay) }));
  byId('stage-dates').replaceChildren(...dates.map((text) => h('li', { text })));
  // The stage and the dates, heard from recorded pieces (client/lib/listen.ts).
  byId('stage-heading').dataset.listen = [
    'status.stageHeading',
    `stage.${view.stage}`,
    `status.receivedOn|date=${view.receivedDay}`,
    view.acknowledgedDay ? `status.ackOn|date=${view.acknowledgedDay}` : `status.ackBy|date=${view.acknowledgeByDay}`,
    view.closedDay ? `status.closedOn|date=${view.closedDay}` : `status.feedbackBy|date=${view.feedbackByDay}`,
  ].join(' ');
  renderLate(view);
}

/**
 * Says plainly when the team missed a deadline (accountability): not
 * confirmed within 7 days, or no feedback within 3 months of confirming.
 * Same rule as the team's OVERDUE marker (client/team/stages.ts).
 */
function renderLate(view: CaseState['view']): void {
  const today = todayDay();
  const open = view.closedDay === null && STAGES.indexOf(view.stage) < STAGES.indexOf('concluded');
  const notice = byId('late-notice');
  if (view.acknowledgedDay === null && today > view.acknowledgeByDay) {
    notice.textContent = `${t('followup.late')} ${t('followup.lateAck', { date: formatDay(view.acknowledgeByDay) })}`;
    notice.dataset.listen = `followup.late followup.lateAck|date=${view.acknowledgeByDay}`;
  } else if (open && today > view.feedbackByDay) {
    notice.textContent = `${t('followup.late')} ${t('followup.lateFeedback', { date: formatDay(view.feedbackByDay) })}`;
    notice.dataset.listen = `followup.late followup.lateFeedback|date=${view.feedbackByDay}`;
  } else {
    notice.textContent = '';
    delete notice.dataset.listen;
  }
  show(notice, notice.textContent !== '');
}

/** The question after closure, once; no meeting request on a closed case. */
function renderFollowUp({ view }: CaseState): void {
  const closed = view.stage === 'closed';
  const thanked = !byId('satisfaction-thanks').hidden;
  show(byId('satisfaction-form'), closed && !view.satisfactionGiven && !thanked);
  show(byId('meeting-open'), !closed);
  if (closed) show(byId('meeting-form'), false);
  relabelFaces();
}


function renderReport(report: ReportContent | undefined): void {
  const list = byId('own-report');
  if (!report) {
    list.replaceChildren(h('p', { class: 'notice error', text: t('status.reportUnreadable') }));
    return;
  }
  const category = CATEGORIES.find((c) => c.key === report.category);
  const rows: Array<readonly [MessageKey, string]> = [
    ['report.category', category ? t(categoryLabelKey(category.key)) : report.category],
    ['report.what', report.what],
    ['report.when', report.when],
    ['report.where', report.where],
    ['report.ongoing', t(`report.ongoing.${report.ongoing}`)],
    ['report.involved', report.involved],
    ['report.wish', report.wish],
    ['report.contact', report.contact],
  ];
  renderFields(list, rows.map(([label, value]) => [t(label), value] as const), t('status.empty'));
}

/**
 * `answer` sends the reporter's answer to a transcript (Approve / Correct
 * under it); `files` opens the files sent with a message.
 */
export function renderCase(state: CaseState, answer: SendAnswer, files: AttachmentSource): void {
  renderTimeline(state);
  // The names the form showed the worker, as the token-authenticated binding holds them (./trust.ts).
  const readers = byId('status-readers');
  const names = (state.readers ?? []).filter((name) => name !== '');
  readers.textContent = names.length > 0 ? t('report.teams', { teams: names.join(', ') }) : '';
  show(readers, names.length > 0);
  renderFollowUp(state);
  releaseFiles();
  renderLatest(state, files);
  const decorate = reporterDecorator(state.messages, answer);
  renderThread(byId('thread'), state.messages, {
    empty: t('status.noMessages'),
    unreadable: t('status.unreadable'),
    meta: (m) => `${t(m.from === 'reporter' ? 'status.fromYou' : 'status.fromTeam')} · ${formatDay(m.day)}`,
    decorate: (item, m) => {
      decorate(item, m);
      const list = messageFiles(files, m);
      if (list) item.append(list);
    },
  });
  renderReport(state.report);
  renderAttachmentNames(byId('own-report'), {
    id: 'own-attachments', heading: t('status.attachments'), unnamed: t('status.attachmentUnknown'),
    rows: joinAttachments(state.view.attachments, attachmentMetas(state.report)),
  });
}

/**
 * The team's newest answer, first on the page: a worker coming back wants to
 * know what the team said (or play its voice reply) before anything else.
 * It stays in the thread below too, with the buttons that answer it.
 */
function renderLatest(state: CaseState, files: AttachmentSource): void {
  const latest = [...state.messages].reverse().find((m) => m.from === 'team');
  const section = byId('latest-answer');
  show(section, latest !== undefined);
  if (!latest) return void byId('latest-answer-body').replaceChildren();
  const list = messageFiles(files, latest);
  byId('latest-answer-body').replaceChildren(
    h('p', { class: 'message-meta', text: `${t('status.fromTeam')} · ${formatDay(latest.day)}` }),
    latest.text === undefined
      ? h('p', { class: 'muted', text: t('status.unreadable') })
      : h('p', { class: 'message-text', text: latest.text, attrs: { dir: 'auto' } }),
    ...(list ? [list] : []),
  );
}

function releaseFiles(): void {
  for (const release of releases) release();
  releases = [];
}

export function clearCase(): void {
  releaseFiles();
  for (const id of ['stage-timeline', 'stage-dates', 'thread', 'own-report', 'status-readers', 'latest-answer-body']) byId(id).replaceChildren();
  delete byId('stage-heading').dataset.listen;
  show(byId('latest-answer'), false);
  show(byId('status-readers'), false);
  byId('late-notice').textContent = '';
  show(byId('late-notice'), false);
  resetFollowUp();
}
