/**
 * The report form: builds the category grid, keeps the two button groups
 * (category, still going on) and reads everything into a ReportContent.
 * Nothing here sends anything.
 */
import { LIMITS } from '../../common/limits.ts';
import { REPORT_VERSION, type ReportContent } from '../../common/report.ts';
import { CATEGORIES, DEFAULT_CATEGORY, categoryLabelKey } from '../categories.ts';
import { i18n } from '../i18n/index.ts';
import { byId, h } from '../lib/dom.ts';

const TEXT_FIELDS = ['f-what', 'f-when', 'f-where', 'f-involved', 'f-wish', 'f-contact'] as const;
type Ongoing = ReportContent['ongoing'];

/** A row of buttons that behave like radio buttons (aria-pressed); tapping the chosen one unchooses it. */
function buttonGroup(container: HTMLElement): { value(): string | undefined; clear(): void } {
  const buttons = () => [...container.querySelectorAll<HTMLButtonElement>('button[data-value]')];
  container.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-value]');
    if (!target) return;
    const wasPressed = target.getAttribute('aria-pressed') === 'true';
    for (const b of buttons()) b.setAttribute('aria-pressed', String(b === target && !wasPressed));
  });
  return {
    value: () => buttons().find((b) => b.getAttribute('aria-pressed') === 'true')?.dataset.value,
    clear: () => buttons().forEach((b) => b.setAttribute('aria-pressed', 'false')),
  };
}

function buildCategoryGrid(grid: HTMLElement): void {
  grid.replaceChildren(
    ...CATEGORIES.map((c) => {
      const label = h('span', { class: 'cat-label' });
      label.dataset.i18n = categoryLabelKey(c.key);
      return h(
        'button',
        { id: `cat-${c.key}`, class: 'cat', attrs: { type: 'button', 'aria-pressed': 'false', 'data-value': c.key } },
        h('img', { class: 'cat-icon', attrs: { src: c.pictogram, alt: '', width: '48', height: '48', draggable: 'false' } }),
        label,
      );
    }),
  );
}

export function setupForm() {
  const grid = byId('category-grid');
  buildCategoryGrid(grid);
  const category = buttonGroup(grid);
  const ongoing = buttonGroup(byId('f-ongoing'));
  const field = (id: (typeof TEXT_FIELDS)[number]) => byId<HTMLInputElement | HTMLTextAreaElement>(id);
  for (const id of TEXT_FIELDS) field(id).maxLength = LIMITS.reportFieldChars;

  return {
    /** The report as typed, or undefined (with focus on the field) if "what happened" is empty. */
    read(): ReportContent | undefined {
      const what = field('f-what').value.trim();
      if (!what) return undefined;
      return {
        v: REPORT_VERSION,
        lang: i18n.lang(),
        category: category.value() ?? DEFAULT_CATEGORY,
        what,
        when: field('f-when').value.trim(),
        where: field('f-where').value.trim(),
        ongoing: (ongoing.value() as Ongoing | undefined) ?? 'unknown',
        involved: field('f-involved').value.trim(),
        wish: field('f-wish').value.trim(),
        contact: field('f-contact').value.trim(),
      };
    },
    /** Empties every field, so the words do not stay on a shared phone after sending. */
    clear(): void {
      for (const id of TEXT_FIELDS) field(id).value = '';
      category.clear();
      ongoing.clear();
    },
    focusWhat: () => field('f-what').focus(),
  };
}
