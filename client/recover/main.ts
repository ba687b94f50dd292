/**
 * /recover: a team whose investigators all lost their passwords (or left)
 * gets a new administrator from whoever holds its offline recovery key
 * (./recover.ts). The key file is read here and used here; only signatures,
 * a certified public key and key packets leave the browser.
 *
 * Test hooks (ids): #recover-key-file, #recover-key-text, #recover-key-status,
 * #recover-display-name, #recover-username, #recover-password,
 * #recover-password2, #recover-submit, #recover-progress, #recover-error,
 * #recover-done, #recover-done-text.
 */
import * as crypto from '../../crypto/index.ts';
import { teamI18n, t, tr, type TeamMessageKey } from '../i18n/team.ts';
import { mountLanguageChooser } from '../accounts/language.ts';
import { ApiError } from '../lib/api.ts';
import { byId, setBusy, show } from '../lib/dom.ts';
import { clearKdfRefusal, showKdfRefusal } from '../lib/kdf-refusal.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import { recoverTeam, type RecoverStep } from './recover.ts';
import { showRefusal, TrustRefusal } from '../accounts/trust.ts';

const MIN_PASSWORD = 12;
const USERNAME = /^[a-z0-9._-]{1,64}$/;
const ERRORS: Record<string, TeamMessageKey> = {
  recovery_key_unknown: 'recover.unknownKey',
  signature_invalid: 'recover.unknownKey',
  key_not_certified: 'recover.unknownKey',
  username_taken: 'recover.taken',
  too_many_attempts: 'recover.tooMany',
  recovery_expired: 'recover.expired',
  recovery_reused: 'recover.expired',
};
const STEPS: Record<RecoverStep, TeamMessageKey> = { keys: 'recover.step.keys', prove: 'recover.step.prove', signIn: 'recover.step.signIn' };

function start(): void {
  teamI18n.apply();
  mountLanguageChooser();
  const form = byId<HTMLFormElement>('recover-form');
  const file = byId<HTMLInputElement>('recover-key-file');
  const text = byId<HTMLTextAreaElement>('recover-key-text');
  const keyStatus = byId('recover-key-status');
  const displayName = byId<HTMLInputElement>('recover-display-name');
  const username = byId<HTMLInputElement>('recover-username');
  const password = byId<HTMLInputElement>('recover-password');
  const password2 = byId<HTMLInputElement>('recover-password2');
  const progress = byId('recover-progress');
  const error = byId('recover-error');

  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    text.value = (await chosen.text()).slice(0, 20_000);
    keyStatus.textContent = t('recover.keyLoaded', { name: chosen.name });
  });
  // Once read, the private key does not stay in the page: a new try loads it again.
  const forgetKeyText = () => {
    text.value = '';
    file.value = '';
    keyStatus.textContent = '';
  };
  const fail = (key: TeamMessageKey, vars?: Record<string, string | number>) => {
    tr(error, key, vars);
    show(error);
    error.focus?.();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(error, false);
    clearKdfRefusal(error);
    const name = username.value.trim().toLowerCase();
    if (!text.value.includes('BEGIN PGP PRIVATE KEY BLOCK')) return fail('recover.needKey');
    if (!displayName.value.trim()) return fail('recover.needName');
    if (!USERNAME.test(name)) return fail('recover.badUsername');
    if (password.value.length < MIN_PASSWORD) return fail('recover.tooShort');
    if (password.value !== password2.value) return fail('recover.mismatch');
    let recoveryKey: UnlockedKey;
    try {
      recoveryKey = await crypto.readArmoredPrivateKey(text.value.trim());
    } catch {
      forgetKeyText();
      return fail('recover.badKey');
    }
    setBusy(form, true);
    try {
      const done = await recoverTeam(
        { recoveryKey, username: name, displayName: displayName.value.trim(), password: password.value },
        (step) => tr(progress, STEPS[step]),
        (p) => tr(progress, 'share.progress', { done: p.scanned, total: p.total }),
      );
      password.value = '';
      password2.value = '';
      text.value = '';
      show(form, false);
      tr(byId('recover-done-text'), done.progress.unreadable ? 'recover.donePartly' : 'recover.done', {
        team: done.teamName, username: done.username, shared: done.progress.shared, unreadable: done.progress.unreadable,
      });
      show(byId('recover-done'));
    } catch (failure) {
      progress.textContent = '';
      forgetKeyText();
      if (showKdfRefusal(error, failure, t('problem.kdfFloor'))) return void error.focus?.();
      // The server named another key to re-wrap to than the new account's: the marked refusal, nothing was sent.
      if (failure instanceof TrustRefusal) return void (showRefusal(error, failure), error.focus?.());
      const key = failure instanceof ApiError ? ERRORS[failure.code] : undefined;
      fail(key ?? 'recover.failed');
    } finally {
      recoveryKey.wipe();
      setBusy(form, false);
    }
  });
}

start();
