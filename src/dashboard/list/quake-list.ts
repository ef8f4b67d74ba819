/**
 * The keyboard-navigable list of the quakes on the map. It is windowed: only the rows in view
 * exist in the DOM (a 20,000-quake feed still has a few dozen rows), recycled while scrolling.
 * Arrow keys move the active row (and outline its marker); Enter, Space or a click select it.
 */
import type { Quake } from '../../core/quake.ts';
import type { ColourBy } from '../../core/scale.ts';
import type { I18n } from '../i18n/i18n.ts';
import { el } from '../ui/dom.ts';
import { ListRow, ROW_HEIGHT } from './list-row.ts';

const OVERSCAN = 6;

export class QuakeList {
  readonly #box: HTMLElement;
  readonly #spacer = el('div', { className: 'list-spacer' });
  readonly #empty: HTMLElement;
  readonly #rows: ListRow[] = [];
  #items: Quake[] = [];
  #fresh: ReadonlySet<string> = new Set();
  #activeId: string | null = null;
  #selectedId: string | null = null;
  #i18n: I18n;
  #colourBy: ColourBy;
  #scheduled = false;
  /** Enter, Space or click on a row. */
  onSelect: (id: string) => void = () => {};
  /** Arrow keys moved to a row. */
  onActivate: (id: string) => void = () => {};

  constructor(box: HTMLElement, empty: HTMLElement, i18n: I18n, colourBy: ColourBy) {
    this.#box = box;
    this.#empty = empty;
    this.#i18n = i18n;
    this.#colourBy = colourBy;
    box.append(this.#spacer);
    box.addEventListener('scroll', () => this.#schedule());
    box.addEventListener('keydown', (event) => this.#onKey(event));
    box.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('[role="option"]');
      const id = row?.dataset.id;
      if (id === undefined) return;
      this.#activeId = id;
      this.#render();
      this.onSelect(id);
    });
    new ResizeObserver(() => this.#schedule()).observe(box);
  }

  /** The quakes in list order (also the order of exports). */
  get items(): readonly Quake[] {
    return this.#items;
  }

  setItems(items: Quake[], fresh: ReadonlySet<string>): void {
    this.#items = items;
    this.#fresh = fresh;
    this.#spacer.style.height = `${items.length * ROW_HEIGHT}px`;
    this.#empty.hidden = items.length > 0;
    this.#render();
  }

  setLook(i18n: I18n, colourBy: ColourBy): void {
    this.#i18n = i18n;
    this.#colourBy = colourBy;
    this.#render();
  }

  /** Marks a quake selected (from the map or an alert) and scrolls it into view. */
  select(id: string | null): void {
    this.#selectedId = id;
    if (id !== null) {
      this.#activeId = id;
      this.#scrollTo(this.#indexOf(id));
    }
    this.#render();
  }

  #indexOf(id: string | null): number {
    return id === null ? -1 : this.#items.findIndex((quake) => quake.id === id);
  }

  #onKey(event: KeyboardEvent): void {
    const count = this.#items.length;
    if (count === 0) return;
    const current = this.#indexOf(this.#activeId);
    const page = Math.max(1, Math.floor(this.#box.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: count - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      const index = Math.min(Math.max(target, 0), count - 1);
      const quake = this.#items[index] as Quake;
      this.#activeId = quake.id;
      this.#scrollTo(index);
      this.#render();
      this.onActivate(quake.id);
    } else if ((event.key === 'Enter' || event.key === ' ') && current !== -1) {
      event.preventDefault();
      this.onSelect((this.#items[current] as Quake).id);
    }
  }

  #scrollTo(index: number): void {
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    const box = this.#box;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + ROW_HEIGHT > box.scrollTop + box.clientHeight) {
      box.scrollTop = top + ROW_HEIGHT - box.clientHeight;
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    requestAnimationFrame(() => {
      this.#scheduled = false;
      this.#render();
    });
  }

  #render(): void {
    const box = this.#box;
    const total = this.#items.length;
    const first = Math.max(0, Math.floor(box.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil((box.clientHeight || 600) / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(total, first + visible);
    while (this.#rows.length < last - first) {
      const row = new ListRow(this.#rows.length);
      this.#rows.push(row);
      this.#spacer.append(row.element);
    }
    let activeSlot: string | null = null;
    this.#rows.forEach((row, slot) => {
      const index = first + slot;
      const quake = this.#items[index];
      row.element.hidden = quake === undefined;
      if (quake === undefined) return;
      const active = quake.id === this.#activeId;
      if (active) activeSlot = row.element.id;
      row.fill(
        quake,
        index,
        total,
        { selected: quake.id === this.#selectedId, active, fresh: this.#fresh.has(quake.id) },
        this.#i18n,
        this.#colourBy,
      );
    });
    if (activeSlot === null) box.removeAttribute('aria-activedescendant');
    else box.setAttribute('aria-activedescendant', activeSlot);
  }
}
