/** The regions with most quakes on screen, as a ranked list with proportional bars. */
import type { RegionCount } from '../../core/stats.ts';
import type { I18n } from '../i18n/i18n.ts';
import { el } from '../ui/dom.ts';

export class TopRegions {
  readonly #list: HTMLOListElement;
  /** What the list shows now: an update that changes neither rewrites nothing. */
  #shown: { regions: readonly RegionCount[]; i18n: I18n } | null = null;

  constructor(box: HTMLElement) {
    this.#list = el('ol', { className: 'regions' });
    box.append(this.#list);
  }

  update(regions: readonly RegionCount[], i18n: I18n): void {
    if (this.#shown !== null && this.#shown.i18n === i18n && same(this.#shown.regions, regions))
      return;
    this.#shown = { regions, i18n };
    const top = regions[0]?.count ?? 1;
    const rows = regions.map(({ region, count, maxMag }) => {
      const bar = el('span', { className: 'region-bar' });
      bar.style.width = `${(100 * count) / top}%`;
      return el(
        'li',
        {},
        el('span', { className: 'region-name', text: region, attrs: { dir: 'auto' } }),
        el('span', { className: 'region-count', text: i18n.integer(count) }),
        el('span', { className: 'region-max', text: `M${i18n.mag(maxMag)}` }),
        el('span', { className: 'region-track' }, bar),
      );
    });
    if (rows.length === 0)
      rows.push(el('li', { className: 'muted', text: i18n.t('regions.none') }));
    this.#list.replaceChildren(...rows);
  }
}

function same(a: readonly RegionCount[], b: readonly RegionCount[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) => x.region === b[i]?.region && x.count === b[i]?.count && x.maxMag === b[i]?.maxMag,
    )
  );
}
