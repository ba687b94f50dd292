/**
 * Shows decrypted worker text typed in Zawgyi as Unicode, with a visible flag
 * and the original behind it (./zawgyi.ts says why). Runs over what
 * renderFields / renderThread already put in the page: every element of
 * typed text (`dir="auto"`) and the extra line of a message's kind (a
 * retaliation's "when", a meeting's preferred place). Text goes in through
 * textContent only.
 */
import { t } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import { hasMyanmar, readZawgyi } from './zawgyi.ts';

const TYPED = '[dir="auto"], .message-extra';

export async function flagZawgyi(root: HTMLElement): Promise<void> {
  const candidates = [...root.querySelectorAll<HTMLElement>(TYPED)].filter((el) => !el.dataset.zawgyi && hasMyanmar(el.textContent ?? ''));
  await Promise.all(
    candidates.map(async (el) => {
      const original = el.textContent ?? '';
      const shown = await readZawgyi(original);
      if (shown.zawgyi === undefined || el.textContent !== original) return; // Unicode already, or re-rendered meanwhile
      el.textContent = shown.text;
      el.dataset.zawgyi = 'converted';
      el.lang = 'my';
      const flag = h(
        'details',
        { class: 'zawgyi-flag', attrs: { 'data-zawgyi-flag': '' } },
        h('summary', { class: 'badge info', text: t('case.zawgyi') }),
        h('span', { class: 'zawgyi-original', text: shown.zawgyi }),
      );
      // A <dd> may hold the flag; a <p> may not, so it follows it.
      if (el.tagName === 'DD') el.append(flag);
      else el.after(flag);
    }),
  );
}
