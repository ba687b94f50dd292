/**
 * First setup (/setup#<setupToken>). The token is read from the fragment
 * (which browsers never send) and removed from the address bar at once; it
 * travels only in the POST body.
 *
 * Test hooks (ids): #setup-status, #setup-team-link, #setup-form,
 * #setup-team, #setup-channel, #setup-slug, #setup-display-name,
 * #setup-username, #setup-password, #setup-password2, #setup-strength
 * (data-level=short|weak|fair|strong), #setup-submit, #setup-progress,
 * #setup-error; #recovery-view, #recovery-key (the armored key),
 * #recovery-download, #recovery-print, #recovery-saved (checkbox),
 * #recovery-continue; #done-view, #setup-report-link, #setup-done-team.
 */
import type { SetupState } from '../../common/api.ts';
import { t, teamI18n, tr, type TeamMessageKey } from '../i18n/team.ts';
import { mountLanguageChooser } from '../accounts/language.ts';
import { ApiError, getJson } from '../lib/api.ts';
import { byId, focusOn, setBusy, show } from '../lib/dom.ts';
import { problem } from '../accounts/errors.ts';
import { clearKdfRefusal, showKdfRefusal } from '../lib/kdf-refusal.ts';
import { createTeam, type SetupStep } from './create.ts';
import { clearPasswords, mountSetupForm } from './form.ts';
import { showRecovery } from './done.ts';

const LINK_ERRORS: Record<string, TeamMessageKey> = {
  setup_link_used: 'setup.linkUsed',
  setup_link_expired: 'setup.linkExpired',
  setup_link_invalid: 'setup.linkInvalid',
  already_set_up: 'setup.notNeeded',
};
const STEP_TEXT: Record<SetupStep, TeamMessageKey> = {
  keys: 'setup.step.keys',
  password: 'setup.step.password',
  send: 'setup.step.send',
};

const status = byId('setup-status');
const say = (key: TeamMessageKey, error = false) => {
  tr(status, key);
  status.classList.toggle('error', error);
  show(status);
};

async function start(): Promise<void> {
  teamI18n.apply();
  mountLanguageChooser();
  const setupToken = location.hash.slice(1);
  if (location.hash) history.replaceState(null, '', location.pathname);
  if (!setupToken) return say('setup.noToken', true);
  if (!/^[A-Za-z0-9_-]{43}$/.test(setupToken)) return say('setup.linkInvalid', true);

  say('setup.checking');
  let state: SetupState;
  try {
    state = await getJson<SetupState>('/api/setup');
  } catch (error) {
    status.textContent = problem(error);
    return;
  }
  if (!state.needed) {
    say('setup.notNeeded');
    return show(byId('setup-team-link'));
  }
  show(status, false);

  const formEl = byId<HTMLFormElement>('setup-form');
  const errorEl = byId('setup-error');
  const progress = byId('setup-progress');
  const form = mountSetupForm();
  show(formEl);
  formEl.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(errorEl, false);
    clearKdfRefusal(errorEl);
    const input = form.read();
    if (typeof input === 'string') return void (tr(errorEl, input), show(errorEl));
    setBusy(formEl, true);
    try {
      const created = await createTeam(input, setupToken, state.kdf, (step) => tr(progress, STEP_TEXT[step]));
      clearPasswords();
      show(formEl, false);
      show(byId('setup-heading'), false);
      showRecovery(created);
    } catch (error) {
      if (showKdfRefusal(errorEl, error, t('problem.kdfFloor'))) return focusOn(errorEl);
      const linkKey = error instanceof ApiError ? LINK_ERRORS[error.code] : undefined;
      errorEl.textContent = linkKey ? t(linkKey) : t('setup.failed', { reason: problem(error) });
      show(errorEl);
      focusOn(errorEl);
    } finally {
      progress.textContent = '';
      setBusy(formEl, false);
    }
  });
}

void start();
