/**
 * The recent 5-minute windows of challenge 6 as an SVG chart (no chart library): the number of
 * quakes as bars, and on a magnitude scale the average (a dot) and the maximum (a dash). Fed by
 * the bridge's sismos-stats frames in live mode, and by shownWindows() over the page's quakes
 * when it polls, so both show the same figures for the same quakes.
 */
import { DEFAULT_ALERT_THRESHOLD } from '../../core/alert.ts';
import { magnitudeColour } from '../../core/scale.ts';
import { shownStarts } from '../../core/shown-windows.ts';
import type { WindowSpec, WindowStats } from '../../core/window.ts';
import type { I18n } from '../i18n/i18n.ts';
import { el, svg } from '../ui/dom.ts';

const WIDTH = 300;
const HEIGHT = 96;
/** The magnitude scale of the marks. */
const MAG_TOP = 8;

export class WindowChart {
  readonly #chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    class: 'chart window-chart',
    role: 'img',
  });
  readonly #bars = svg('g');
  readonly #marks = svg('g');
  readonly #legend = el('span');
  readonly #from = el('span');
  readonly #to = el('span');
  /** What the chart shows now: an update that changes neither the windows nor the language redraws nothing. */
  #shown: { key: string; i18n: I18n } | null = null;

  constructor(box: HTMLElement) {
    const threshold = magY(DEFAULT_ALERT_THRESHOLD);
    this.#chart.append(
      svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'chart-axis' }),
      this.#bars,
      // The alert threshold on the magnitude scale of the marks.
      svg('line', { x1: 0, y1: threshold, x2: WIDTH, y2: threshold, class: 'window-threshold' }),
      this.#marks,
    );
    box.append(
      el('p', { className: 'chart-caption' }, this.#legend),
      this.#chart,
      el('p', { className: 'chart-range' }, this.#from, this.#to),
    );
  }

  /** Draws the windows shown (shownStarts) from their figures; missing windows are empty. */
  update(windows: Iterable<WindowStats>, spec: WindowSpec, reference: number, i18n: I18n): void {
    const byStart = new Map<number, WindowStats>();
    for (const window of windows) byStart.set(window.start, window);
    const slots = shownStarts(spec, reference);
    const key = `${spec.sizeMs}:${slots.map((start) => figuresOf(start, byStart.get(start))).join(';')}`;
    if (this.#shown !== null && this.#shown.key === key && this.#shown.i18n === i18n) return;
    this.#shown = { key, i18n };
    const peak = Math.max(1, ...slots.map((start) => byStart.get(start)?.count ?? 0));
    const step = WIDTH / slots.length;
    const bars: SVGElement[] = [];
    const marks: SVGElement[] = [];
    slots.forEach((start, i) => {
      const window = byStart.get(start);
      const count = window?.count ?? 0;
      const height = count === 0 ? 0 : Math.max(2, (count / peak) * (HEIGHT - 6));
      const bar = svg('rect', {
        x: (i * step + 1).toFixed(2),
        y: (HEIGHT - 1 - height).toFixed(2),
        width: Math.max(0.5, step - 2).toFixed(2),
        height: height.toFixed(2),
        class: 'window-bar',
        'data-start': new Date(start).toISOString(),
        'data-count': count,
      });
      const title = svg('title');
      title.textContent = describe(window, start, spec, i18n);
      bar.append(title);
      bars.push(bar);
      const x = i * step + step / 2;
      if (window?.avgMag != null) {
        marks.push(
          svg('circle', { cx: x.toFixed(2), cy: magY(window.avgMag), r: 2.2, class: 'window-avg' }),
        );
      }
      if (window?.maxMag != null) {
        const y = magY(window.maxMag);
        marks.push(
          svg('line', {
            x1: (x - step * 0.35).toFixed(2),
            x2: (x + step * 0.35).toFixed(2),
            y1: y,
            y2: y,
            stroke: magnitudeColour(window.maxMag),
            class: 'window-max',
          }),
        );
      }
    });
    this.#bars.replaceChildren(...bars);
    this.#marks.replaceChildren(...marks);
    const newest = slots.at(-1) as number;
    this.#chart.setAttribute('aria-label', describe(byStart.get(newest), newest, spec, i18n));
    this.#legend.textContent = i18n.t('windows.legend');
    this.#from.textContent = i18n.short(slots[0] as number);
    this.#to.textContent = i18n.short(newest + spec.sizeMs);
  }
}

function figuresOf(start: number, window: WindowStats | undefined): string {
  return window === undefined
    ? String(start)
    : `${start},${window.count},${window.withMagnitude},${window.avgMag},${window.maxMag}`;
}

function magY(mag: number): string {
  const clamped = Math.min(MAG_TOP, Math.max(0, mag));
  return (HEIGHT - 2 - (clamped / MAG_TOP) * (HEIGHT - 6)).toFixed(2);
}

function describe(
  window: WindowStats | undefined,
  start: number,
  spec: WindowSpec,
  i18n: I18n,
): string {
  const range = { from: i18n.short(start), to: i18n.short(start + spec.sizeMs) };
  if (window === undefined || window.count === 0) return i18n.t('windows.empty', range);
  return i18n.t('windows.label', {
    ...range,
    count: i18n.integer(window.count),
    avg: i18n.mag(window.avgMag),
    max: i18n.mag(window.maxMag),
    without: i18n.integer(window.count - window.withMagnitude),
  });
}
