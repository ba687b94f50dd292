/**
 * Putting a trust root into a key envelope after sign-in (docs/protocol.md
 * "v2: workspace trust root"):
 *
 * - **Migration** of an envelope made before v2 (no root): the page shows the
 *   recovery fingerprint the server names and asks the investigator to
 *   compare it with the printed recovery key. Only on "It matches" is it
 *   sealed into the envelope (and stored with PUT /api/auth/envelope); until
 *   then the workspace sends nothing that needs it (`no-root`). This is
 *   trust on first use, weaker than a root set at setup, founding, join or
 *   recovery: a server lying at that one moment, to someone who does not
 *   compare, wins.
 * - **A team the deployment team may send to**: on the Teams page a deployment
 *   administrator confirms a team's fingerprint against that team's printed
 *   key, types their password, and the fingerprint is sealed in with the rest.
 *
 * Test hooks: #trust-confirm-dialog, #trust-confirm-fingerprint, #trust-confirm-yes, #trust-confirm-later.
 */
import * as crypto from '../../crypto/index.ts';
import { t } from '../i18n/team.ts';
import { postJson } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import type { LoginParams, Session } from '../../common/api.ts';
import { teamGet, teamPut } from '../accounts/api.ts';
import { groupFingerprint } from './fingerprint.ts';
import { session, setTrustRoot, trustRoot, withKey } from '../accounts/keyring.ts';

/** Seals the unlocked key with `trust` under `wrapKey`, stores it (the verifier proves the password), and keeps the root. */
export async function sealTrust(trust: crypto.TrustRoot, secrets: { wrapKey: Uint8Array; verifier: string }): Promise<void> {
  const normal = crypto.normaliseTrust(trust);
  const wrappedPrivateKey = await withKey((key) => crypto.sealEnvelope({ key, trust: normal, wrapKey: secrets.wrapKey }));
  await teamPut('/api/auth/envelope', { verifier: secrets.verifier, wrappedPrivateKey });
  setTrustRoot(normal, wrappedPrivateKey);
}

function dialog(id: string, ...children: HTMLElement[]): HTMLDialogElement {
  document.getElementById(id)?.remove();
  const el = h('dialog', { id, attrs: { 'aria-labelledby': `${id}-heading` } }, ...children);
  document.body.append(el);
  return el;
}

/**
 * After a sign-in whose envelope has no root: asks, and seals the confirmed
 * fingerprint. Resolves when the investigator answered (either way).
 */
export async function confirmOwnRoot(secrets: { wrapKey: Uint8Array; verifier: string }): Promise<void> {
  const me = session();
  if (!me) return;
  // The fingerprint of the very key the workspace will check with (the session's), not a separate server field.
  const named = await crypto.fingerprintOf(me.teamRecoveryKey).catch(() => '');
  if (!named) return;
  const status = h('p', { id: 'trust-confirm-status', attrs: { role: 'status' } });
  const yes = h('button', { id: 'trust-confirm-yes', class: 'btn primary', text: t('trust.confirm.yes'), attrs: { type: 'button' } });
  const later = h('button', { id: 'trust-confirm-later', class: 'btn', text: t('trust.confirm.later'), attrs: { type: 'button' } });
  const box = dialog('trust-confirm-dialog',
    h('h2', { id: 'trust-confirm-dialog-heading', text: t('trust.confirm.heading') }),
    h('p', { text: t('trust.confirm.intro') }),
    h('p', { id: 'trust-confirm-fingerprint', class: 'fingerprint', text: groupFingerprint(named) }),
    h('p', { text: t('trust.confirm.compare') }),
    h('p', { class: 'notice', text: t('trust.confirm.weaker') }),
    h('div', { class: 'button-row' }, yes, later), status);
  box.showModal();
  await new Promise<void>((resolve) => {
    later.addEventListener('click', () => resolve(), { once: true });
    box.addEventListener('cancel', () => resolve(), { once: true });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      status.textContent = t('trust.confirm.saving');
      try {
        await sealTrust({ root: named, sendTo: [] }, secrets);
        resolve();
      } catch (failure) {
        status.textContent = t('trust.confirm.failed', { reason: failure instanceof Error ? failure.message : String(failure) });
        yes.disabled = false;
      }
    });
  });
  box.close();
  box.remove();
}

/**
 * Deployment administrators: confirm `fingerprint` (a team's recovery key,
 * compared with that team's printed key) and seal it among the teams this
 * workspace may send to. Asks for the password again, since only it makes
 * the key that seals the envelope. Resolves true when stored.
 */
export async function confirmTeamRoot(team: { name: string; recoveryFingerprint: string }): Promise<boolean> {
  const current = trustRoot();
  if (!current) return false;
  const password = h('input', { id: 'trust-team-password', attrs: { type: 'password', autocomplete: 'current-password' } });
  const error = h('p', { id: 'trust-team-error', class: 'notice error', attrs: { role: 'alert' } });
  error.hidden = true;
  const yes = h('button', { id: 'trust-team-yes', class: 'btn primary', text: t('trust.teams.yes'), attrs: { type: 'button' } });
  const cancel = h('button', { id: 'trust-team-cancel', class: 'btn', text: t('trust.teams.cancel'), attrs: { type: 'button' } });
  const box = dialog('trust-team-dialog',
    h('h2', { id: 'trust-team-dialog-heading', text: t('trust.teams.heading', { team: team.name }) }),
    h('p', { text: t('trust.teams.intro', { team: team.name }) }),
    h('p', { id: 'trust-team-fingerprint', class: 'fingerprint', text: groupFingerprint(team.recoveryFingerprint) }),
    h('label', { text: t('trust.teams.password'), attrs: { for: 'trust-team-password' } }), password,
    h('div', { class: 'button-row' }, yes, cancel), error);
  box.showModal();
  const stored = await new Promise<boolean>((resolve) => {
    cancel.addEventListener('click', () => resolve(false), { once: true });
    box.addEventListener('cancel', () => resolve(false), { once: true });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      error.hidden = true;
      let wrapKey: Uint8Array | undefined;
      try {
        const me = session()!;
        const params = await postJson<LoginParams>('/api/auth/params', { username: me.investigator.username });
        const secrets = await crypto.derivePasswordSecrets(password.value, params.salt, params.kdf);
        wrapKey = secrets.wrapKey;
        // The envelope as stored now, opened with this password: a wrong password fails here, and the root
        // kept is the one inside it (never a server field).
        const fresh = await teamGet<Session>('/api/auth/session');
        const opened = await crypto.openEnvelope({ wrapped: fresh.wrappedPrivateKey, wrapKey }).catch(() => undefined);
        if (!opened) throw new Error(t('trust.teams.wrongPassword'));
        opened.key.wipe();
        const base = opened.trust ?? current;
        await sealTrust({ root: base.root, sendTo: [...base.sendTo, team.recoveryFingerprint] }, secrets);
        resolve(true);
      } catch (failure) {
        error.textContent = failure instanceof Error ? failure.message : String(failure);
        error.hidden = false;
        yes.disabled = false;
      } finally {
        wrapKey?.fill(0);
        password.value = '';
      }
    });
  });
  box.close();
  box.remove();
  return stored;
}
