/**
 * Sign-in: params → password-derived secrets (in the browser) → login with
 * the verifier only → unwrap the private key into the keyring. The password
 * and the wrap key never leave this function.
 */
import type { LoginParams, Session } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { t, tr } from '../i18n/team.ts';
import { ApiError, postJson } from '../lib/api.ts';
import { byId, h, setBusy, show } from '../lib/dom.ts';
import { clearKdfRefusal, showKdfRefusal } from '../lib/kdf-refusal.ts';
import { problem } from '../accounts/errors.ts';
import { unlock } from '../accounts/keyring.ts';
import { confirmOwnRoot } from './trust-setup.ts';

export function mountLogin(onSignedIn: () => void): void {
  const form = byId<HTMLFormElement>('login-form');
  const username = byId<HTMLInputElement>('login-username');
  const password = byId<HTMLInputElement>('login-password');
  const status = byId('login-status');
  const error = byId('login-error');

  // The second factor (server/auth/second-factor.ts): asked for only after the server answers 401 second_factor_required.
  const code = h('input', {
    id: 'login-code',
    attrs: { type: 'text', inputmode: 'text', autocomplete: 'one-time-code', autocapitalize: 'off', spellcheck: 'false' },
  });
  const codeLabel = h('label', { attrs: { for: 'login-code' } });
  tr(codeLabel, 'login.code');
  const codeField = h('div', { id: 'login-code-field', class: 'field' }, codeLabel, code);
  show(codeField, false);
  byId('login-submit').before(codeField);
  username.addEventListener('input', () => show(codeField, false));

  const fail = (text: string) => {
    error.textContent = text;
    show(error);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(error, false);
    clearKdfRefusal(error);
    const name = username.value.trim().toLowerCase();
    if (!name || !password.value) return fail(t('login.needBoth'));
    setBusy(form, true);
    let wrapKey: Uint8Array | undefined;
    try {
      tr(status, 'login.checking');
      const params = await postJson<LoginParams>('/api/auth/params', { username: name });
      const secrets = await crypto.derivePasswordSecrets(password.value, params.salt, params.kdf);
      wrapKey = secrets.wrapKey;
      const secondFactor = codeField.hidden ? '' : code.value.trim();
      const session = await postJson<Session>('/api/auth/login', {
        username: name, verifier: secrets.verifier, ...(secondFactor ? { secondFactor } : {}),
      });
      code.value = '';
      show(codeField, false);
      tr(status, 'login.unlocking');
      let version: 1 | 2;
      try {
        ({ version } = await unlock(session, wrapKey));
      } catch (failure) {
        if (!(failure instanceof crypto.WrongKeyError)) throw failure;
        // Signed in on the server but unusable here: end that session too.
        await postJson('/api/auth/logout', {}, { csrf: session.csrfToken }).catch(() => undefined);
        return fail(t('login.keyFailed'));
      }
      password.value = '';
      // An envelope made before v2 has no trust root: ask to confirm the team's recovery fingerprint (./trust-setup.ts).
      if (version === 1) await confirmOwnRoot({ wrapKey, verifier: secrets.verifier });
      onSignedIn();
    } catch (failure) {
      if (showKdfRefusal(error, failure, t('problem.kdfFloor'))) return;
      if (failure instanceof ApiError && failure.code === 'second_factor_required') {
        show(codeField);
        code.focus();
        return fail(t('login.codeNeeded'));
      }
      if (failure instanceof ApiError && failure.code === 'second_factor_invalid') {
        code.value = '';
        code.focus();
        return fail(t('login.codeWrong'));
      }
      const wrong = failure instanceof ApiError && (failure.status === 401 || failure.status === 404);
      fail(wrong ? t('login.wrong') : problem(failure));
    } finally {
      wrapKey?.fill(0);
      status.textContent = '';
      setBusy(form, false);
    }
  });
}
