/**
 * Quakes per time bin as an SVG bar chart (no chart library). Each bar is coloured like the
 * strongest quake in it and has a tooltip with its count and time range. The bars are kept and
 * only what changed is rewritten: a poll that moves the feed's time a minute rewrites the
 * tooltips, not the chart.
 */
import { magnitudeColour, UNKNOWN_COLOUR } from '../../core/scale.ts';
import type { Activity } from '../../core/stats.ts';
import type { I18n } from '../i18n/i18n.ts';
import { el, setAttrs, setText, svg } from '../ui/dom.ts';

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
  /** One rect per bin, each holding its tooltip's <title>. */
  readonly #rects: SVGRectElement[] = [];
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
    this.#keepBars(counts.length);
    counts.forEach((count, i) => {
      const height = count === 0 ? 0 : Math.max(2, (count / peak) * (HEIGHT - 4));
      const mag = maxMag[i] ?? null;
      const rect = this.#rects[i] as SVGRectElement;
      setAttrs(rect, {
        x: (i * step + gap / 2).toFixed(2),
        y: (HEIGHT - 1 - height).toFixed(2),
        width: Math.max(0.5, step - gap).toFixed(2),
        height: height.toFixed(2),
        fill: mag === null ? UNKNOWN_COLOUR : magnitudeColour(mag),
      });
      const from = start + i * binMs;
      setText(
        rect.firstChild as SVGTitleElement,
        i18n.t('chart.label', {
          count: i18n.integer(count),
          from: i18n.short(from),
          to: i18n.short(from + binMs),
        }),
      );
    });
    const total = counts.reduce((sum, n) => sum + n, 0);
    setAttrs(this.#chart, {
      'aria-label': i18n.t('chart.label', {
        count: i18n.integer(total),
        from: i18n.short(start),
        to: i18n.short(start + counts.length * binMs),
      }),
    });
    setText(this.#bin, i18n.t('chart.bin', { bin: i18n.duration(binMs) }));
    setText(this.#from, i18n.short(start));
    setText(this.#peak, i18n.t('chart.peak', { count: i18n.integer(total === 0 ? 0 : peak) }));
    setText(this.#to, i18n.short(start + counts.length * binMs));
  }

  /** Adds or removes bars (each with its <title>) until there are `count`. */
  #keepBars(count: number): void {
    while (this.#rects.length < count) {
      const rect = svg('rect');
      rect.append(svg('title'));
      this.#rects.push(rect);
      this.#bars.append(rect);
    }
    while (this.#rects.length > count) this.#rects.pop()?.remove();
  }
}
