/**
 * /join#<token>: the invitee of an administrator (server/invites/) chooses a
 * username and password; their key pair is made here (./create.ts). The token
 * is read from the fragment and removed from the address bar at once.
 * With `#found=<token>` the page founds a new team instead (./found.ts): the
 * same form, then the team's recovery key shown once (#recovery-view, as at
 * first setup).
 *
 * Test hooks (ids): #join-heading, #join-form, #join-display-name,
 * #join-username, #join-password, #join-password2, #join-submit,
 * #join-error, #join-status, #join-team-link.
 */
import type { InviteInfo } from '../../common/api.ts';
import { teamI18n, t, tr, type TeamMessageKey } from '../i18n/team.ts';
import { mountLanguageChooser } from '../accounts/language.ts';
import { ApiError, postJson } from '../lib/api.ts';
import { byId, setBusy, show } from '../lib/dom.ts';
import { clearKdfRefusal, showKdfRefusal } from '../lib/kdf-refusal.ts';
import { showRecoveryKey } from '../accounts/recovery-key.ts';
import { slugify } from '../accounts/fields.ts';
import { joinTeam, type JoinStep } from './create.ts';
import { readInviteFragment } from '../lib/account-keys.ts';
import { foundingInfo, foundTeam } from './found.ts';

const MIN_PASSWORD = 12;
const USERNAME = /^[a-z0-9._-]{1,64}$/;

const ERRORS: Record<string, TeamMessageKey> = {
  invite_invalid: 'join.invalid',
  invite_used: 'join.used',
  invite_expired: 'join.expired',
  invite_revoked: 'join.revoked',
  username_taken: 'join.taken',
  founding_invalid: 'found.invalid',
  founding_used: 'found.used',
  founding_expired: 'found.expired',
  founding_revoked: 'found.revoked',
};
const STEPS: Record<JoinStep, TeamMessageKey> = { keys: 'join.step.keys', password: 'join.step.password', send: 'join.step.send' };

function errorKey(failure: unknown): TeamMessageKey {
  return (failure instanceof ApiError && ERRORS[failure.code]) || 'join.failed';
}

async function start(): Promise<void> {
  teamI18n.apply();
  mountLanguageChooser();
  // `#found=<token>`: founding a new team (./found.ts); `#<token>`: joining one.
  const founding = location.hash.startsWith('#found=');
  // An invitation's fragment also carries the team's recovery fingerprint (`#<token>~<root>`, docs/protocol.md "v2").
  const { token, root } = founding ? { token: location.hash.slice('#found='.length), root: null } : readInviteFragment(location.hash.slice(1));
  if (location.hash) history.replaceState(null, '', location.pathname);
  const status = byId('join-status');
  const stop = (key: TeamMessageKey) => {
    tr(status, key);
    show(status);
    show(byId('join-form'), false);
  };
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return stop('join.noToken');

  let info: { displayName: string; teamName: string; kdf: InviteInfo['kdf'] };
  try {
    if (founding) {
      const found = await foundingInfo(token);
      info = { displayName: found.founderName, teamName: found.teamName, kdf: found.kdf };
    } else {
      info = await postJson<InviteInfo>('/api/invites/info', { token });
    }
  } catch (failure) {
    return stop(errorKey(failure));
  }
  tr(byId('join-heading'), founding ? 'found.heading' : 'join.heading', { team: info.teamName });
  tr(byId('join-intro'), founding ? 'found.intro' : 'join.intro', { name: info.displayName, team: info.teamName });
  const form = byId<HTMLFormElement>('join-form');
  const displayName = byId<HTMLInputElement>('join-display-name');
  const username = byId<HTMLInputElement>('join-username');
  const password = byId<HTMLInputElement>('join-password');
  const password2 = byId<HTMLInputElement>('join-password2');
  const progress = byId('join-progress');
  const error = byId('join-error');
  displayName.value = info.displayName;
  show(form);
  username.focus();

  const fail = (key: TeamMessageKey) => {
    tr(error, key);
    show(error);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(error, false);
    clearKdfRefusal(error);
    const name = username.value.trim().toLowerCase();
    if (!USERNAME.test(name)) return fail('join.badUsername');
    if (password.value.length < MIN_PASSWORD) return fail('join.tooShort');
    if (password.value !== password2.value) return fail('join.mismatch');
    setBusy(form, true);
    try {
      const input = { username: name, displayName: displayName.value.trim() || info.displayName, password: password.value };
      const onStep = (step: JoinStep) => tr(progress, founding && step === 'keys' ? 'found.step.keys' : STEPS[step]);
      if (founding) {
        const founded = await foundTeam(input, info.teamName, token, info.kdf, onStep);
        password.value = '';
        password2.value = '';
        show(form, false);
        show(byId('join-heading'), false);
        return showRecoveryKey({
          recoveryKey: founded.recoveryKey, recoveryArmored: founded.recoveryArmored,
          fileName: t('setup.recovery.fileName', { slug: slugify(info.teamName) || 'team' }),
          onContinue: () => {
            show(byId('join-heading'));
            tr(status, 'found.done', { team: founded.accepted.teamName });
            show(status);
            show(byId('join-team-link'));
          },
        });
      }
      await joinTeam(input, token, root, info.kdf, onStep);
      password.value = '';
      password2.value = '';
      show(form, false);
      status.textContent = t('join.done');
      show(status);
      show(byId('join-team-link'));
    } catch (failure) {
      if (showKdfRefusal(error, failure, t('problem.kdfFloor'))) return;
      const key = errorKey(failure);
      if (key === 'join.taken' || key === 'join.failed') fail(key);
      else stop(key);
    } finally {
      progress.textContent = '';
      setBusy(form, false);
    }
  });
}

void start();
