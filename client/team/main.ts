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
 * #case-stage-error, #case-history; #account-menu (details), #account-name,
 * #export-key, #export-dialog, #export-confirm, #export-cancel, #logout.
 */
import type { CaseDetail } from '../../common/api.ts';
import { teamI18n, tr } from '../i18n/team.ts';
import { byId, focusOn, show } from '../lib/dom.ts';
import { mountAccount, showAccount } from './account.ts';
import { fillStageForm, mountCaseActions } from './case-actions.ts';
import { showCase } from './case-view.ts';
import { showInbox } from './inbox.ts';
import { IDLE_MINUTES, onLock, session } from './keyring.ts';
import { mountLogin } from './login.ts';

const views = ['login-form', 'inbox-view', 'case-view'] as const;
let currentCase: CaseDetail | undefined;

function only(view: (typeof views)[number]): HTMLElement {
  for (const id of views) show(byId(id), id === view);
  return byId(view);
}

function caseIdFromHash(): string | undefined {
  const match = /^#\/case\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  return match?.[1];
}

async function loadCase(id: string): Promise<void> {
  currentCase = await showCase(id);
  if (currentCase) fillStageForm(currentCase);
  else show(byId('case-stage-form'), false);
}

async function route(): Promise<void> {
  if (!session()) {
    focusOn(only('login-form').querySelector('input') ?? byId('login-form'));
    return;
  }
  show(byId('team-notice'), false);
  showAccount();
  const id = caseIdFromHash();
  currentCase = undefined;
  if (id) {
    only('case-view');
    focusOn(byId('case-heading'));
    await loadCase(id);
  } else {
    only('inbox-view');
    focusOn(byId('inbox-heading'));
    await showInbox();
  }
}

onLock((reason) => {
  currentCase = undefined;
  for (const id of ['case-rows', 'case-report', 'case-thread', 'case-history', 'case-deadlines']) byId(id).replaceChildren();
  byId<HTMLTextAreaElement>('case-reply').value = '';
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
mountCaseActions(
  () => currentCase,
  async () => {
    if (currentCase) await loadCase(currentCase.case.id);
  },
);
byId('inbox-refresh').addEventListener('click', () => void showInbox());
window.addEventListener('hashchange', () => void route());
void route();
