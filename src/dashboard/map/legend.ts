/** The map's legend: the colour classes in use, with circles sized like the markers. */
import * as L from 'leaflet';
import {
  type ColourBy,
  type ColourClass,
  DEPTH_CLASSES,
  MAGNITUDE_CLASSES,
  magnitudeRadius,
  UNKNOWN_COLOUR,
} from '../../core/scale.ts';
import type { I18n } from '../i18n/i18n.ts';
import { el, svg } from '../ui/dom.ts';

/** "< 1", "1–2,5", "≥ 7": the range of each class, in the reader's number format. */
function classLabels(classes: readonly ColourClass[], i18n: I18n): string[] {
  return classes.map((c, i) => {
    const next = classes[i + 1];
    if (i === 0 && next !== undefined) return `< ${i18n.decimal(next.from)}`;
    if (next === undefined) return `≥ ${i18n.decimal(c.from)}`;
    return `${i18n.decimal(c.from)}–${i18n.decimal(next.from)}`;
  });
}

export class Legend extends L.Control {
  readonly #box = el('div', { className: 'legend panel-card' });

  constructor() {
    super({ position: 'bottomleft' });
  }

  override onAdd(): HTMLElement {
    L.DomEvent.disableClickPropagation(this.#box);
    return this.#box;
  }

  update(i18n: I18n, colourBy: ColourBy): void {
    const classes = colourBy === 'depth' ? DEPTH_CLASSES : MAGNITUDE_CLASSES;
    const labels = classLabels(classes, i18n);
    const rows = classes.map((c, i) => {
      // Magnitude classes show their marker size at the class's lower bound (M0 for the first).
      const radius =
        colourBy === 'depth' ? 5 : Math.min(magnitudeRadius(Math.max(c.from, 0.5)), 15);
      return row(c.colour, radius, labels[i] as string);
    });
    rows.push(row(UNKNOWN_COLOUR, colourBy === 'depth' ? 5 : 3, i18n.t('legend.unknown')));
    this.#box.replaceChildren(
      el('h2', {
        text: i18n.t(colourBy === 'depth' ? 'legend.depthTitle' : 'legend.title'),
      }),
      el('ul', {}, ...rows),
      el('p', { className: 'legend-note', text: i18n.t('legend.size') }),
    );
  }
}

function row(colour: string, radius: number, label: string): HTMLElement {
  const size = 32;
  const icon = svg('svg', {
    width: size,
    height: size,
    viewBox: `0 0 ${size} ${size}`,
    'aria-hidden': 'true',
  });
  icon.append(
    svg('circle', {
      cx: size / 2,
      cy: size / 2,
      r: radius,
      fill: colour,
      'fill-opacity': 0.85,
      stroke: 'currentColor',
      'stroke-opacity': 0.6,
      'stroke-width': 0.8,
    }),
  );
  return el('li', {}, icon, el('span', { text: label }));
}
