/**
 * The investigators' workspace (/team): sign-in, case list (#/), case view
 * (#/case/<id>) and the other views, by the table in ./routes.ts. Nothing is
 * shown before the private key is unlocked, and everything is hidden again
 * when the keyring locks.
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
import { applyLanguage, mountLanguageChooser } from '../accounts/language.ts';
import { teamPut } from '../accounts/api.ts';
import { byId, focusOn, show } from '../lib/dom.ts';
import { mountAccount, showAccount } from './account.ts';
import { clearAudit, mountAudit, showAudit } from './audit.ts';
import { fillStageForm, mountCaseActions } from './case-actions.ts';
import { showCase } from './case-view.ts';
import { clearCaseWork, showCaseWork } from './case-work.ts';
import { showDeadlines } from './deadlines.ts';
import { showTeamNames } from './team-names.ts';
import { clearRetention, mountHeldMarks, showCaseRetention, showHeldMarks, showRetention } from './retention.ts';
import { showInbox } from './inbox.ts';
import { clearFailedLogins, showFailedLogins } from './invites.ts';
import { IDLE_MINUTES, onLock, session, setSessionLanguage } from '../accounts/keyring.ts';
import { mountLogin } from './login.ts';
import { checkPinnedCode, pinCodeAfterSignIn } from './pin/register.ts';
import { clearOnBehalf, mountOnBehalf, showOnBehalf } from './on-behalf/view.ts';
import { mountSlipPrint } from './on-behalf/slip.ts';
import { clearStats, mountStats, showStats } from './stats/view.ts';
import { clearChannels, mountChannels, showChannels, showChannelsEntry } from './channels.ts';
import { clearMembers, mountMembers, showMembers, showMembersEntry } from './members.ts';
import { clearTeams, mountTeams, showTeams, showTeamsEntry } from './teams.ts';
import { isPending, mountPending, showPending } from './pending.ts';
import { routeOf, type ViewName } from './routes.ts';

const views = [
  'login-form', 'inbox-view', 'case-view', 'audit-view', 'on-behalf-view', 'stats-view', 'channels-view',
  'members-view', 'teams-view', 'pending-view',
] as const;
let currentCase: CaseDetail | undefined;
/** The session (by its CSRF token) whose stored language was applied: a later pick in the chooser is not undone. */
let languageAppliedFor: string | undefined;
/** Set while a view is drawn again after a change of language: the focus stays on the chooser. */
let keepFocus = false;

function only(view: (typeof views)[number]): HTMLElement {
  for (const id of views) show(byId(id), id === view);
  return byId(view);
}

/** What each view of ./routes.ts loads when it opens (`caseId` for a case). */
const SHOW: Record<ViewName, (caseId?: string) => Promise<unknown>> = {
  'on-behalf': () => showOnBehalf(),
  stats: () => showStats(),
  channels: () => showChannels(),
  members: () => showMembers(),
  teams: () => showTeams(),
  audit: () => showAudit(),
  case: (caseId) => loadCase(caseId!),
  inbox: () => Promise.all([showInbox(), showDeadlines(), showRetention(), showTeamNames(), showHeldMarks(), showFailedLogins()]),
};

async function reloadCase(): Promise<void> {
  if (currentCase) await loadCase(currentCase.case.id);
}

/**
 * Counts the case views opened (and left): a case whose answer comes after another view was opened
 * draws nothing and does not become the case the forms act on.
 */
let caseViews = 0;

async function loadCase(id: string): Promise<void> {
  const view = ++caseViews;
  const wanted = () => view === caseViews;
  const detail = await showCase(id, wanted);
  if (!wanted()) return;
  currentCase = detail;
  if (currentCase) {
    fillStageForm(currentCase);
    await showCaseWork(currentCase, reloadCase, wanted);
    if (!wanted()) return;
    await showCaseRetention(currentCase, wanted);
  } else {
    show(byId('case-stage-form'), false);
    clearCaseWork();
  }
}

async function route(): Promise<void> {
  if (!session()) {
    const form = only('login-form');
    if (!keepFocus) focusOn(form.querySelector('input') ?? form);
    keepFocus = false;
    return;
  }
  const signedIn = session()!;
  if (languageAppliedFor !== signedIn.csrfToken) {
    // Once per sign-in, the language kept with the account wins; switching re-renders through onChange below.
    languageAppliedFor = signedIn.csrfToken;
    const chosen = signedIn.investigator.language;
    if (chosen && chosen !== teamI18n.lang()) return void (await applyLanguage(chosen).catch(() => undefined));
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
  const route = routeOf(location.hash);
  currentCase = undefined;
  caseViews += 1; // a case still loading for the view left draws nothing
  if (route.name !== 'on-behalf') clearOnBehalf(); // the token leaves the page with the view
  only(route.view);
  if (!keepFocus) focusOn(byId(route.heading));
  keepFocus = false;
  await SHOW[route.name](route.caseId);
}

onLock((reason) => {
  currentCase = undefined;
  caseViews += 1; // nothing of a case still loading is drawn once the workspace is locked
  for (const id of ['case-rows', 'case-report', 'case-thread', 'case-history', 'case-deadlines', 'case-work', 'inbox-filters', 'team-deadlines', 'team-names']) {
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
mountLanguageChooser({
  onChosen: async (language) => {
    if (!session()) return; // before sign-in the choice lasts for this tab only
    try {
      await teamPut('/api/account/language', { language });
      setSessionLanguage(language);
    } catch {
      const notice = byId('team-notice');
      tr(notice, 'account.languageNotSaved');
      show(notice);
    }
  },
});
// Everything drawn from data (lists, the case, dates) is drawn again in the new language.
teamI18n.onChange(() => {
  showAccount();
  keepFocus = document.activeElement?.id === 'team-lang';
  void route();
});
mountLogin(() => {
  void route();
  void pinCodeAfterSignIn();
});
checkPinnedCode();
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
