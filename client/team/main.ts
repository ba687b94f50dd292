/**
 * The investigators' workspace (/team): sign-in, case list (#/), case view
 * (#/case/<id>). Nothing is shown before the private key is unlocked, and
 * everything is hidden again when the keyring locks.
 *
 * Test hooks (ids): #login-form, #login-username, #login-password,
 * #login-submit, #login-error, #team-notice; #inbox-view, #inbox-refresh,
 * #case-table (rows tr[data-case-id], first cell links to #/case/<id>,
 * overdue cells .overdue with the word OVERDUE, .badge.info for a new
 * reporter message); #case-view, #case-back, #case-heading, #case-report
 * (dt/dd pairs), #case-thread (li.message.from-reporter / .from-team),
 * #case-reply, #case-reply-send, #case-reply-status, #case-reply-error,
 * #case-stage (select), #case-stage-reason, #case-stage-submit,
 * #case-stage-error, #case-outcome, #case-history; #case-work: #case-notes-panel (#case-notes li.internal-note, #case-note,
 * #case-note-form-submit), #case-assignee + #case-assign-form-submit, #case-labels + #case-labels-form-submit,
 * #case-risk-level, #case-risk-rationale, #case-risk-form-submit, #case-exclude + #case-exclude-form-submit,
 * #case-exclusions; #inbox-filters (#filter-stage, #filter-label, #filter-assignee, #filter-sort,
 * #filter-overdue, #filter-urgent, #filter-risk); #team-deadlines (#team-ack-days, #team-feedback-months,
 * #team-deadlines-form-submit); #account-menu (details), #account-name,
 * #export-key, #export-dialog, #export-confirm, #export-cancel, #logout;
 * #audit-link and the audit view (#/audit, see ./audit.ts); #on-behalf-link and #/on-behalf
 * (./on-behalf/view.ts); #stats-link, #inbox-stats-link and #/stats (./stats/view.ts); #/members
 * (./members.ts), #/teams (./teams.ts), and #pending-view for a member not admitted yet (./pending.ts).
 */
import type { CaseDetail } from '../../common/api.ts';
import { teamI18n, tr } from '../i18n/team.ts';
import { byId, focusOn, show } from '../lib/dom.ts';
import { mountAccount, showAccount } from './account.ts';
import { clearAudit, mountAudit, showAudit } from './audit.ts';
import { fillStageForm, mountCaseActions } from './case-actions.ts';
import { showCase } from './case-view.ts';
import { clearCaseWork, showCaseWork } from './case-work.ts';
import { showDeadlines } from './deadlines.ts';
import { clearRetention, mountHeldMarks, showCaseRetention, showHeldMarks, showRetention } from './retention.ts';
import { showInbox } from './inbox.ts';
import { clearFailedLogins, showFailedLogins } from './invites.ts';
import { IDLE_MINUTES, onLock, session } from '../accounts/keyring.ts';
import { mountLogin } from './login.ts';
import { clearOnBehalf, mountOnBehalf, showOnBehalf } from './on-behalf/view.ts';
import { mountSlipPrint } from './on-behalf/slip.ts';
import { clearStats, mountStats, showStats } from './stats/view.ts';
import { clearChannels, mountChannels, showChannels, showChannelsEntry } from './channels.ts';
import { clearMembers, mountMembers, showMembers, showMembersEntry } from './members.ts';
import { clearTeams, mountTeams, showTeams, showTeamsEntry } from './teams.ts';
import { isPending, mountPending, showPending } from './pending.ts';

const views = [
  'login-form', 'inbox-view', 'case-view', 'audit-view', 'on-behalf-view', 'stats-view', 'channels-view',
  'members-view', 'teams-view', 'pending-view',
] as const;
let currentCase: CaseDetail | undefined;

function only(view: (typeof views)[number]): HTMLElement {
  for (const id of views) show(byId(id), id === view);
  return byId(view);
}

function caseIdFromHash(): string | undefined {
  const match = /^#\/case\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  return match?.[1];
}

async function reloadCase(): Promise<void> {
  if (currentCase) await loadCase(currentCase.case.id);
}

async function loadCase(id: string): Promise<void> {
  currentCase = await showCase(id);
  if (currentCase) {
    fillStageForm(currentCase);
    await showCaseWork(currentCase, reloadCase);
    await showCaseRetention(currentCase);
  } else {
    show(byId('case-stage-form'), false);
    clearCaseWork();
  }
}

async function route(): Promise<void> {
  if (!session()) {
    focusOn(only('login-form').querySelector('input') ?? byId('login-form'));
    return;
  }
  show(byId('team-notice'), false);
  showAccount();
  showChannelsEntry();
  showMembersEntry();
  showTeamsEntry();
  if (isPending()) {
    // Not admitted yet: no case, no inbox (the server refuses them: 403 not_admitted).
    focusOn(only('pending-view').querySelector('h1') ?? byId('pending-view'));
    return void (await showPending());
  }
  const id = caseIdFromHash();
  currentCase = undefined;
  if (location.hash !== '#/on-behalf') clearOnBehalf(); // the token leaves the page with the view
  if (location.hash === '#/on-behalf') {
    only('on-behalf-view');
    focusOn(byId('on-behalf-heading'));
    await showOnBehalf();
  } else if (location.hash === '#/stats') {
    only('stats-view');
    focusOn(byId('stats-heading'));
    await showStats();
  } else if (location.hash === '#/channels') {
    only('channels-view');
    focusOn(byId('channels-heading'));
    await showChannels();
  } else if (location.hash === '#/members') {
    only('members-view');
    focusOn(byId('members-heading'));
    await showMembers();
  } else if (location.hash === '#/teams') {
    only('teams-view');
    focusOn(byId('teams-heading'));
    await showTeams();
  } else if (location.hash === '#/audit') {
    only('audit-view');
    focusOn(byId('audit-heading'));
    await showAudit();
  } else if (id) {
    only('case-view');
    focusOn(byId('case-heading'));
    await loadCase(id);
  } else {
    only('inbox-view');
    focusOn(byId('inbox-heading'));
    await Promise.all([showInbox(), showDeadlines(), showRetention(), showHeldMarks(), showFailedLogins()]);
  }
}

onLock((reason) => {
  currentCase = undefined;
  for (const id of ['case-rows', 'case-report', 'case-thread', 'case-history', 'case-deadlines', 'case-work', 'inbox-filters', 'team-deadlines']) {
    byId(id).replaceChildren();
  }
  byId<HTMLTextAreaElement>('case-reply').value = '';
  clearAudit();
  clearOnBehalf();
  clearStats();
  clearChannels();
  clearMembers();
  clearTeams();
  clearFailedLogins();
  clearRetention();
  showAccount();
  const notice = byId('team-notice');
  if (reason === 'idle') tr(notice, 'login.idle', { minutes: IDLE_MINUTES });
  else if (reason === 'expired') tr(notice, 'login.expired');
  else tr(notice, 'login.loggedOut');
  show(notice);
  void route();
});

teamI18n.apply();
mountLogin(() => void route());
mountAccount();
mountAudit();
mountOnBehalf();
mountSlipPrint();
mountStats();
mountChannels();
mountMembers();
mountTeams();
mountPending();
mountHeldMarks();
mountCaseActions(() => currentCase, reloadCase);
byId('inbox-refresh').addEventListener('click', () => void showInbox());
window.addEventListener('hashchange', () => void route());
void route();
