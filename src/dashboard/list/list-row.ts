/**
 * One row of the quake list. Rows are recycled while scrolling, so `fill` rewrites every part,
 * unless the row already shows the same quake in the same place and state: an update that
 * changes no row in view then formats and writes nothing.
 */
import type { Quake } from '../../core/quake.ts';
import type { ColourBy } from '../../core/scale.ts';
import type { I18n } from '../i18n/i18n.ts';
import { depthText, paintBadge, placeOf, typeName } from '../map/popup.ts';
import { el } from '../ui/dom.ts';
import { fillImpactTags, impactTags } from './impact-tags.ts';

export const ROW_HEIGHT = 56;

export class ListRow {
  readonly element: HTMLElement;
  readonly #badge = el('span', { className: 'mag-badge' });
  readonly #place = el('span', { className: 'row-place', attrs: { dir: 'auto' } });
  readonly #meta = el('span', { className: 'row-meta' });
  readonly #fresh = el('span', { className: 'tag tag-new' });
  readonly #tsunami = el('span', { className: 'tag tag-tsunami', text: 'tsunami' });
  readonly #impact = impactTags();
  /** What the row shows now (see fill). */
  #shown: readonly unknown[] = [];

  constructor(slot: number) {
    this.element = el(
      'div',
      { className: 'row', attrs: { role: 'option', id: `quake-row-${slot}` } },
      this.#badge,
      el(
        'span',
        { className: 'row-main' },
        this.#place,
        el('span', { className: 'row-line' }, this.#meta, ...this.#impact.all),
      ),
      el('span', { className: 'row-tags' }, this.#fresh, this.#tsunami),
    );
  }

  fill(
    quake: Quake,
    index: number,
    total: number,
    state: { selected: boolean; active: boolean; fresh: boolean },
    i18n: I18n,
    colourBy: ColourBy,
  ): void {
    const shown = [quake, index, total, state.selected, state.active, state.fresh, i18n, colourBy];
    if (shown.every((part, i) => part === this.#shown[i])) return;
    this.#shown = shown;
    const row = this.element;
    row.dataset.index = String(index);
    row.dataset.id = quake.id;
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    row.setAttribute('aria-posinset', String(index + 1));
    row.setAttribute('aria-setsize', String(total));
    row.setAttribute('aria-selected', String(state.selected));
    row.classList.toggle('active', state.active);
    this.#badge.textContent = i18n.mag(quake.mag);
    paintBadge(this.#badge, quake, colourBy);
    this.#place.textContent = placeOf(quake, i18n);
    const meta = [i18n.short(quake.time, quake), depthText(quake, i18n)];
    if (quake.magType !== null) meta.push(quake.magType);
    if (quake.type !== 'earthquake') meta.push(typeName(quake.type, i18n));
    this.#meta.textContent = meta.join(' · ');
    this.#fresh.textContent = i18n.t('list.new');
    this.#fresh.hidden = !state.fresh;
    this.#tsunami.hidden = !quake.tsunami;
    fillImpactTags(this.#impact, quake, i18n);
  }
}
