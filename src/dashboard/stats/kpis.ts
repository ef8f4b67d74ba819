/** The headline numbers: total, maximum, average, M4.5+, tsunami flags and the last hour. */
import type { Summary } from '../../core/stats.ts';
import type { I18n, MessageKey } from '../i18n/i18n.ts';
import { placeOf } from '../map/popup.ts';
import { el, setText } from '../ui/dom.ts';

const TILES = ['count', 'max', 'mean', 'significant', 'tsunami', 'lastHour'] as const;
type Tile = (typeof TILES)[number];

export class Kpis {
  readonly #values = new Map<Tile, HTMLElement>();
  readonly #labels = new Map<Tile, HTMLElement>();
  readonly #notes = new Map<Tile, HTMLElement>();

  constructor(box: HTMLElement) {
    for (const tile of TILES) {
      const value = el('span', { className: 'kpi-value', dataset: { stat: tile } });
      const label = el('span', { className: 'kpi-label' });
      // The strongest quake's place: isolated, so its text cannot reorder the tile's.
      const note = el('span', { className: 'kpi-note', attrs: { dir: 'auto' } });
      this.#values.set(tile, value);
      this.#labels.set(tile, label);
      this.#notes.set(tile, note);
      box.append(el('div', { className: `kpi kpi-${tile}` }, value, label, note));
    }
  }

  /** `total` is the number of quakes before filtering; without data every tile shows "—", not 0. */
  update(summary: Summary, total: number, i18n: I18n, hasData: boolean): void {
    const strongest = summary.strongest;
    const values: Record<Tile, [text: string, raw: number | null]> = {
      count: [i18n.integer(summary.count), summary.count],
      max: [i18n.mag(strongest?.mag ?? null), strongest?.mag ?? null],
      mean: [summary.meanMag === null ? '—' : i18n.decimal(summary.meanMag), summary.meanMag],
      significant: [i18n.integer(summary.significant), summary.significant],
      tsunami: [i18n.integer(summary.tsunami), summary.tsunami],
      lastHour: [i18n.integer(summary.lastHour), summary.lastHour],
    };
    for (const tile of TILES) {
      const [text, raw] = hasData ? values[tile] : ['—', null];
      const value = this.#values.get(tile) as HTMLElement;
      setText(value, text);
      const data = raw === null ? '' : String(raw);
      if (value.dataset.value !== data) value.dataset.value = data;
      setText(this.#labels.get(tile) as HTMLElement, i18n.t(`stats.${tile}` as MessageKey));
    }
    setText(
      this.#notes.get('count') as HTMLElement,
      total === summary.count ? '' : i18n.t('stats.of', { total: i18n.integer(total) }),
    );
    setText(
      this.#notes.get('max') as HTMLElement,
      strongest === null ? '' : placeOf(strongest, i18n),
    );
  }
}
