/**
 * The language chooser of the investigators' pages (workspace, setup, join,
 * recover): a <select id="team-lang"> put into the page's top bar, each
 * language in its own name and marked with its own `lang`, so that someone
 * who cannot read the language shown still finds theirs.
 *
 * Before sign-in the pages follow the browser (or what was picked in this
 * tab). In the workspace the choice is kept with the account
 * (PUT /api/account/language), because the server writes e-mail notices in
 * it; signing in applies the stored choice.
 */
import { WORKSPACE_LANGUAGE_NAMES, type WorkspaceLanguage } from '../../common/workspace-languages.ts';
import { teamI18n, tr } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';

export interface LanguageChooserOptions {
  /** Called after the page switched to a language the person picked (the workspace stores it with the account). */
  onChosen?: (lang: WorkspaceLanguage) => Promise<void> | void;
}

const SVG = 'http://www.w3.org/2000/svg';

/** The globe the worker pages draw (client/index.html): the emoji 🌐 is a box on a computer without a colour-emoji font. */
function globe(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({
    class: 'lang-icon', 'aria-hidden': 'true', focusable: 'false', viewBox: '0 0 24 24', width: '20', height: '20',
    fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round',
  })) svg.setAttribute(name, value);
  const circle = document.createElementNS(SVG, 'circle');
  for (const [name, value] of Object.entries({ cx: '12', cy: '12', r: '9.5' })) circle.setAttribute(name, value);
  const ellipse = document.createElementNS(SVG, 'ellipse');
  for (const [name, value] of Object.entries({ cx: '12', cy: '12', rx: '4.2', ry: '9.5' })) ellipse.setAttribute(name, value);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', 'M2.5 12h19M4.5 7h15M4.5 17h15');
  svg.append(circle, ellipse, path);
  return svg;
}

export function mountLanguageChooser(options: LanguageChooserOptions = {}): HTMLSelectElement {
  const select = h('select', { id: 'team-lang' });
  select.replaceChildren(
    ...teamI18n.languages.map((code) => {
      const option = new Option(WORKSPACE_LANGUAGE_NAMES[code], code, false, code === teamI18n.lang());
      option.lang = code;
      return option;
    }),
  );
  const label = h('label', { attrs: { for: 'team-lang' } }, globe(), ' ');
  const words = h('span');
  tr(words, 'account.language');
  label.append(words);
  const box = h('div', { id: 'team-lang-box', class: 'lang-box no-print' }, label, select);
  const bar = document.querySelector('header.topbar');
  const menu = bar?.querySelector('#account-menu');
  if (menu) menu.before(box);
  else bar?.append(box);

  select.addEventListener('change', async () => {
    const choice = teamI18n.languages.find((code) => code === select.value);
    if (!choice) return;
    try {
      // The catalog arrives over the network; if it cannot, stay in the language shown.
      await teamI18n.setLang(choice);
    } catch {
      select.value = teamI18n.lang();
      return;
    }
    await options.onChosen?.(choice);
  });
  teamI18n.onChange(() => {
    select.value = teamI18n.lang();
  });
  return select;
}

/** Switches to `lang` (an account's stored choice) unless it is already shown; null leaves the page as it is. */
export async function applyLanguage(lang: WorkspaceLanguage | null | undefined): Promise<void> {
  if (!lang || lang === teamI18n.lang()) return;
  await teamI18n.setLang(lang);
}
