/**
 * The language picker on worker pages: a <select id="lang-picker"> that the
 * page's HTML holds (hidden until JavaScript runs), filled here. Each
 * language is shown in its own name and marked with its own `lang`, so a
 * worker who cannot read the current language still finds theirs and a
 * screen reader says it right.
 */
import { byId, show } from './dom.ts';
import { i18n, LANGUAGE_NAMES } from '../i18n/index.ts';

export function mountLanguagePicker(): void {
  const select = byId<HTMLSelectElement>('lang-picker');
  select.replaceChildren(
    ...i18n.languages.map((code) => {
      const option = new Option(LANGUAGE_NAMES[code], code, false, code === i18n.lang());
      option.lang = code;
      return option;
    }),
  );
  select.addEventListener('change', () => {
    const choice = i18n.languages.find((code) => code === select.value);
    if (!choice) return;
    // The catalog arrives over the network; if it cannot, stay in the language shown.
    i18n.setLang(choice).catch(() => {
      select.value = i18n.lang();
    });
  });
  show(byId('lang-box'));
  i18n.apply();
}
