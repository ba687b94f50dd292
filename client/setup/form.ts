/** The setup form: slug follows the channel name until edited, strength shown as you type, checks on submit. */
import { LIMITS } from '../../common/limits.ts';
import { tr, type TeamMessageKey } from '../i18n/team.ts';
import { byId } from '../lib/dom.ts';
import type { SetupInput } from './create.ts';
import { MIN_PASSWORD, SLUG_PATTERN, USERNAME_PATTERN, passwordStrength, slugify } from '../accounts/fields.ts';

const input = (id: string) => byId<HTMLInputElement>(id);

export function mountSetupForm(): { read(): SetupInput | TeamMessageKey } {
  const team = input('setup-team');
  const channel = input('setup-channel');
  const slug = input('setup-slug');
  const displayName = input('setup-display-name');
  const username = input('setup-username');
  const password = input('setup-password');
  const password2 = input('setup-password2');
  const strength = byId('setup-strength');
  let slugEdited = false;

  team.maxLength = LIMITS.teamNameChars;
  channel.maxLength = LIMITS.channelNameChars;
  slug.maxLength = 48;
  displayName.maxLength = LIMITS.displayNameChars;
  username.maxLength = LIMITS.usernameChars;
  tr(byId('setup-password-hint'), 'setup.passwordHint', { min: MIN_PASSWORD });

  const showSlug = () => tr(byId('setup-slug-hint'), 'setup.slugHint', { origin: location.origin, slug: slug.value || '…' });
  const showStrength = () => {
    const level = passwordStrength(password.value, [username.value, team.value, displayName.value]);
    strength.dataset.level = level;
    tr(strength, `setup.strength.${level}`, { count: [...password.value].length, min: MIN_PASSWORD });
  };
  channel.addEventListener('input', () => {
    if (!slugEdited) slug.value = slugify(channel.value);
    showSlug();
  });
  slug.addEventListener('input', () => {
    slugEdited = slug.value !== '';
    showSlug();
  });
  password.addEventListener('input', showStrength);
  username.addEventListener('input', () => {
    username.value = username.value.toLowerCase();
    showStrength();
  });
  showSlug();
  showStrength();

  return {
    /** The input, or the key of the first problem (focus moved to its field). */
    read() {
      const value: SetupInput = {
        teamName: team.value.trim(),
        channelName: channel.value.trim(),
        slug: slug.value.trim(),
        displayName: displayName.value.trim(),
        username: username.value.trim(),
        password: password.value,
      };
      const problems: Array<[boolean, HTMLInputElement, TeamMessageKey]> = [
        [!value.teamName, team, 'setup.required'],
        [!value.channelName, channel, 'setup.required'],
        [!SLUG_PATTERN.test(value.slug), slug, 'setup.slugInvalid'],
        [!value.displayName, displayName, 'setup.required'],
        [!USERNAME_PATTERN.test(value.username), username, 'setup.usernameInvalid'],
        [[...value.password].length < MIN_PASSWORD, password, 'setup.strength.short'],
        [value.password !== password2.value, password2, 'setup.mismatch'],
      ];
      const problem = problems.find(([failed]) => failed);
      if (!problem) return value;
      problem[1].focus();
      return problem[2];
    },
  };
}

export function clearPasswords(): void {
  input('setup-password').value = '';
  input('setup-password2').value = '';
}
