/**
 * The filter controls: magnitude chips and range, time window, event types, and colouring.
 * Built once and then kept in sync with the settings, so typing or tabbing is never interrupted.
 */
import {
  MAG_PRESETS,
  MAG_RANGE,
  NO_FILTER,
  type QuakeFilter,
  TIME_WINDOWS,
} from '../../core/filter.ts';
import { type ColourBy, magnitudeColour } from '../../core/scale.ts';
import type { I18n } from '../i18n/i18n.ts';
import { typeName } from '../map/popup.ts';
import { el } from '../ui/dom.ts';

interface TypeRow {
  readonly row: HTMLElement;
  readonly box: HTMLInputElement;
  readonly name: HTMLElement;
  readonly count: HTMLElement;
}

export class FilterPanel {
  readonly #chips: [HTMLButtonElement, number | null][];
  readonly #min: HTMLInputElement;
  readonly #max: HTMLInputElement;
  readonly #window: HTMLSelectElement;
  readonly #types: HTMLElement;
  readonly #typeRows = new Map<string, TypeRow>();
  readonly #colour: HTMLInputElement[];
  #filter: QuakeFilter = NO_FILTER;
  /** The user changed a filter. */
  onFilter: (filter: QuakeFilter) => void = () => {};
  onColourBy: (colourBy: ColourBy) => void = () => {};

  constructor(root: HTMLElement) {
    const q = <T extends HTMLElement>(selector: string) => root.querySelector(selector) as T;
    this.#chips = MAG_PRESETS.map((mag) => {
      const chip = el('button', {
        className: 'chip',
        attrs: { type: 'button', 'aria-pressed': 'false' },
        dataset: { mag: mag === null ? 'all' : String(mag) },
      });
      chip.addEventListener('click', () => this.#emit({ minMag: mag, maxMag: null }));
      q('#mag-chips').append(chip);
      return [chip, mag];
    });
    this.#min = q('#filter-min');
    this.#max = q('#filter-max');
    for (const input of [this.#min, this.#max]) {
      Object.assign(input, {
        min: String(MAG_RANGE.min),
        max: String(MAG_RANGE.max),
        step: String(MAG_RANGE.step),
      });
      input.addEventListener('change', () =>
        this.#emit({ minMag: readMag(this.#min), maxMag: readMag(this.#max) }),
      );
    }
    this.#window = q('#filter-window');
    this.#window.addEventListener('change', () => {
      const value = this.#window.value;
      this.#emit({ windowMs: value === '' ? null : Number(value) });
    });
    this.#types = q('#filter-types');
    this.#colour = [...root.querySelectorAll<HTMLInputElement>('input[name="colour-by"]')];
    for (const radio of this.#colour) {
      radio.addEventListener('change', () => {
        if (radio.checked) this.onColourBy(radio.value as ColourBy);
      });
    }
    q('#filter-reset').addEventListener('click', () => this.onFilter(NO_FILTER));
  }

  /** Shows the current settings; `types` are the event types in the feed with their counts. */
  sync(
    filter: QuakeFilter,
    colourBy: ColourBy,
    types: readonly [string, number][],
    spanMs: number,
    i18n: I18n,
  ): void {
    this.#filter = filter;
    for (const [chip, mag] of this.#chips) {
      chip.replaceChildren();
      if (mag !== null) {
        const swatch = el('span', { className: 'swatch' });
        swatch.style.backgroundColor = magnitudeColour(mag);
        chip.append(swatch);
      }
      chip.append(
        mag === null ? i18n.t('filters.all') : i18n.t('filters.preset', { mag: i18n.decimal(mag) }),
      );
      chip.setAttribute('aria-pressed', String(filter.minMag === mag && filter.maxMag === null));
    }
    writeMag(this.#min, filter.minMag, i18n);
    writeMag(this.#max, filter.maxMag, i18n);
    this.#syncWindows(filter.windowMs, spanMs, i18n);
    this.#syncTypes(filter.hiddenTypes, types, i18n);
    for (const radio of this.#colour) radio.checked = radio.value === colourBy;
  }

  #emit(patch: Partial<QuakeFilter>): void {
    this.onFilter({ ...this.#filter, ...patch });
  }

  #syncWindows(windowMs: number | null, spanMs: number, i18n: I18n): void {
    // Only windows shorter than the feed make sense (plus the one chosen, whatever it is).
    const choices = TIME_WINDOWS.filter((ms) => ms === null || ms < spanMs || ms === windowMs);
    if (windowMs !== null && !choices.includes(windowMs)) choices.push(windowMs);
    this.#window.replaceChildren(
      ...choices.map((ms) =>
        el('option', {
          text: ms === null ? i18n.t('filters.window.all') : i18n.duration(ms),
          attrs: { value: ms === null ? '' : String(ms) },
        }),
      ),
    );
    this.#window.value = windowMs === null ? '' : String(windowMs);
  }

  #syncTypes(hidden: readonly string[], types: readonly [string, number][], i18n: I18n): void {
    const present = new Map(types);
    // Hidden types stay listed even when absent, so they can be shown again.
    for (const type of hidden) if (!present.has(type)) present.set(type, 0);
    for (const [type, row] of this.#typeRows) {
      if (!present.has(type)) {
        row.row.remove();
        this.#typeRows.delete(type);
      }
    }
    let position = 0;
    for (const [type, count] of present) {
      let row = this.#typeRows.get(type);
      if (row === undefined) {
        const box = el('input', { attrs: { type: 'checkbox' }, dataset: { type } });
        box.addEventListener('change', () => {
          const rest = this.#filter.hiddenTypes.filter((t) => t !== type);
          this.#emit({ hiddenTypes: box.checked ? rest : [...rest, type] });
        });
        const name = el('span', { className: 'type-name', text: type });
        const counter = el('span', { className: 'type-count' });
        row = {
          row: el('label', { className: 'type-row' }, box, name, counter),
          box,
          name,
          count: counter,
        };
        this.#typeRows.set(type, row);
      }
      row.box.checked = !hidden.includes(type);
      row.name.textContent = typeName(type, i18n);
      row.count.textContent = i18n.integer(count);
      // Move a row only when it is out of place: moving a focused checkbox would blur it.
      const here = this.#types.children[position] ?? null;
      if (here !== row.row) this.#types.insertBefore(row.row, here);
      position++;
    }
  }
}

function readMag(input: HTMLInputElement): number | null {
  if (input.value.trim() === '') return null;
  const value = input.valueAsNumber;
  return Number.isFinite(value) ? Math.min(Math.max(value, MAG_RANGE.min), MAG_RANGE.max) : null;
}

function writeMag(input: HTMLInputElement, value: number | null, i18n: I18n): void {
  const text = value === null ? '' : String(value);
  if (input.value !== text) input.value = text;
  input.placeholder = i18n.t('filters.any');
}
