/**
 * Quakes per time bin as an SVG bar chart (no chart library). Each bar is coloured like the
 * strongest quake in it and has a tooltip with its count and time range.
 */
import { magnitudeColour, UNKNOWN_COLOUR } from '../../core/scale.ts';
import type { Activity } from '../../core/stats.ts';
import type { I18n } from '../i18n/i18n.ts';
import { el, svg } from '../ui/dom.ts';

const WIDTH = 300;
const HEIGHT = 84;

export class ActivityChart {
  readonly #chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    class: 'chart',
    role: 'img',
  });
  readonly #bars = svg('g');
  readonly #bin = el('span');
  readonly #from = el('span');
  readonly #peak = el('span', { className: 'chart-peak' });
  readonly #to = el('span');

  constructor(box: HTMLElement) {
    this.#chart.append(
      svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'chart-axis' }),
      this.#bars,
    );
    box.append(
      el('p', { className: 'chart-caption' }, this.#bin, this.#peak),
      this.#chart,
      el('p', { className: 'chart-range' }, this.#from, this.#to),
    );
  }

  update(activity: Activity, i18n: I18n): void {
    const { counts, maxMag, start, binMs } = activity;
    // A loop, not Math.max(...counts): spreading a long array into a call overflows the stack.
    let peak = 1;
    for (const count of counts) if (count > peak) peak = count;
    const step = WIDTH / counts.length;
    const gap = Math.min(2, step * 0.2);
    const bars = counts.map((count, i) => {
      const height = count === 0 ? 0 : Math.max(2, (count / peak) * (HEIGHT - 4));
      const mag = maxMag[i] ?? null;
      const rect = svg('rect', {
        x: (i * step + gap / 2).toFixed(2),
        y: (HEIGHT - 1 - height).toFixed(2),
        width: Math.max(0.5, step - gap).toFixed(2),
        height: height.toFixed(2),
        fill: mag === null ? UNKNOWN_COLOUR : magnitudeColour(mag),
      });
      const from = start + i * binMs;
      const title = svg('title');
      title.textContent = i18n.t('chart.label', {
        count: i18n.integer(count),
        from: i18n.short(from),
        to: i18n.short(from + binMs),
      });
      rect.append(title);
      return rect;
    });
    this.#bars.replaceChildren(...bars);
    const total = counts.reduce((sum, n) => sum + n, 0);
    this.#chart.setAttribute(
      'aria-label',
      i18n.t('chart.label', {
        count: i18n.integer(total),
        from: i18n.short(start),
        to: i18n.short(start + counts.length * binMs),
      }),
    );
    this.#bin.textContent = i18n.t('chart.bin', { bin: i18n.duration(binMs) });
    this.#from.textContent = i18n.short(start);
    this.#peak.textContent = i18n.t('chart.peak', { count: i18n.integer(total === 0 ? 0 : peak) });
    this.#to.textContent = i18n.short(start + counts.length * binMs);
  }
}
