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

/**
 * The legend folds to its title (a button) and back; it starts folded on a phone, where it would
 * cover a good part of the map.
 */
export class Legend extends L.Control {
  readonly #box = el('div', { className: 'legend panel-card' });
  #open: boolean;

  constructor(open: boolean) {
    super({ position: 'bottomleft' });
    this.#open = open;
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
    const toggle = el('button', {
      className: 'legend-toggle',
      text: i18n.t(colourBy === 'depth' ? 'legend.depthTitle' : 'legend.title'),
      attrs: { type: 'button', 'aria-expanded': String(this.#open) },
    });
    const body = el(
      'div',
      { className: 'legend-body' },
      el('ul', {}, ...rows),
      el('p', { className: 'legend-note', text: i18n.t('legend.size') }),
    );
    body.hidden = !this.#open;
    toggle.addEventListener('click', () => {
      this.#open = !this.#open;
      body.hidden = !this.#open;
      toggle.setAttribute('aria-expanded', String(this.#open));
    });
    this.#box.replaceChildren(el('h2', {}, toggle), body);
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
      'fill-opacity': 0.6,
      stroke: 'currentColor',
      'stroke-opacity': 0.6,
      'stroke-width': 0.8,
    }),
  );
  return el('li', {}, icon, el('span', { text: label }));
}
