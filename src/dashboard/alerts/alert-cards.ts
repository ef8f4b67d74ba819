/**
 * In-page alert cards for quakes at or above the alert threshold. A card holds the same lines as
 * the course's boxed "ALERTA SISMICA" (alertFields, shared with the console consumer). The newest
 * cards are shown, the rest are counted; each stays until dismissed. The stack folds into one
 * line while the user looks at a quake, and opens again when a new alert arrives.
 */
import { alertFields } from '../../core/alert.ts';
import type { Quake } from '../../core/quake.ts';
import { magnitudeColour } from '../../core/scale.ts';
import type { I18n } from '../i18n/i18n.ts';
import { placeOf } from '../map/popup.ts';
import { el } from '../ui/dom.ts';

/** Older alerts shown as one-line entries under the newest card. */
const COMPACT = 2;
const KEPT = 100;

/** English for the Spanish labels and words of the course's alert box. */
const ENGLISH: Readonly<Record<string, string>> = {
  Magnitud: 'Magnitude',
  Lugar: 'Place',
  Hora: 'Time',
  Coords: 'Coords',
  Profundidad: 'Depth',
  'sin dato': 'no data',
  desconocido: 'unknown',
  desconocida: 'unknown',
};

/** The course box's numbers in the reader's notation (its other values are words and UTC time). */
function localised(label: string, quake: Quake, i18n: I18n): string | null {
  switch (label) {
    case 'Magnitud':
      return quake.mag === null ? null : i18n.mag(quake.mag);
    case 'Coords':
      return i18n.t('alert.coords', {
        lat: i18n.coordinate(quake.lat),
        lon: i18n.coordinate(quake.lon),
      });
    case 'Profundidad':
      return quake.depth === null ? null : `${i18n.coordinate(quake.depth)} km`;
    default:
      return null;
  }
}

export class AlertCards {
  readonly #box: HTMLElement;
  /** Alerts not dismissed yet, newest first. */
  #alerts: Quake[] = [];
  #i18n: I18n;
  #folded = false;
  /** "Show on map" on a card. */
  onShow: (id: string) => void = () => {};

  constructor(box: HTMLElement, i18n: I18n) {
    this.#box = box;
    this.#i18n = i18n;
    // Escape dismisses the newest card, unless something nearer the keyboard (a popup) took it.
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented || this.#folded) return;
      const newest = this.#alerts[0];
      if (newest === undefined || (event.target as Element).closest?.('.leaflet-container')) return;
      const inside = box.contains(document.activeElement);
      this.#dismiss(newest.id);
      if (inside) (box.querySelector<HTMLElement>('button') ?? document.body).focus();
    });
  }

  get count(): number {
    return this.#alerts.length;
  }

  add(quakes: readonly Quake[]): void {
    this.#alerts = [...quakes, ...this.#alerts].sort((a, b) => b.time - a.time).slice(0, KEPT);
    this.#folded = false;
    this.#render();
  }

  /** Folds the stack into one line (it keeps the map clear while a quake is open). */
  fold(folded = true): void {
    if (this.#folded === folded) return;
    this.#folded = folded;
    this.#render();
  }

  setLanguage(i18n: I18n): void {
    this.#i18n = i18n;
    this.#render();
  }

  #dismiss(id: string | null): void {
    this.#alerts = id === null ? [] : this.#alerts.filter((quake) => quake.id !== id);
    this.#render();
  }

  #render(): void {
    const [newest, ...older] = this.#alerts;
    if (this.#folded && newest !== undefined) {
      const open = el('button', {
        className: 'alert-folded',
        text: `${this.#i18n.t('alert.title')} · ${this.#alerts.length}`,
        attrs: { type: 'button', 'aria-expanded': 'false' },
      });
      open.style.setProperty('--alert-colour', magnitudeColour(newest.mag));
      open.addEventListener('click', () => this.fold(false));
      this.#box.replaceChildren(open);
      this.#box.hidden = false;
      return;
    }
    const items: HTMLElement[] = [];
    if (newest !== undefined) items.push(this.#card(newest));
    for (const quake of older.slice(0, COMPACT)) items.push(this.#line(quake));
    const hidden = older.length - Math.min(older.length, COMPACT);
    if (this.#alerts.length > 1) {
      const all = el('button', {
        className: 'alert-more',
        text:
          hidden > 0
            ? `${this.#i18n.t('alert.more', { count: hidden })} · ${this.#i18n.t('alert.dismissAll')}`
            : this.#i18n.t('alert.dismissAll'),
        attrs: { type: 'button' },
      });
      all.addEventListener('click', () => this.#dismiss(null));
      items.push(all);
    }
    this.#box.replaceChildren(...items);
    this.#box.hidden = items.length === 0;
  }

  /** The newest alert in full: the lines of the course's alert box. */
  #card(quake: Quake): HTMLElement {
    const i18n = this.#i18n;
    const translate = (text: string) => (i18n.lang === 'en' ? (ENGLISH[text] ?? text) : text);
    const fields = el('dl', { className: 'alert-fields' });
    for (const { label, value } of alertFields(quake)) {
      // The place is isolated: its text cannot reorder the card's.
      const dir = label === 'Lugar' ? { dir: 'auto' } : {};
      fields.append(
        el('dt', { text: translate(label) }),
        el('dd', { text: localised(label, quake, i18n) ?? translate(value), attrs: dir }),
      );
    }
    const show = el('button', {
      className: 'alert-show',
      text: i18n.t('alert.show'),
      attrs: { type: 'button' },
    });
    show.addEventListener('click', () => this.onShow(quake.id));
    const card = el(
      'article',
      { className: 'alert-card', dataset: { id: quake.id } },
      el(
        'header',
        {},
        el('span', { className: 'alert-title', text: i18n.t('alert.title') }),
        this.#foldButton(),
        this.#closeButton(quake.id),
      ),
      fields,
      zonedTime(quake, i18n),
      show,
    );
    card.style.setProperty('--alert-colour', magnitudeColour(quake.mag));
    return card;
  }

  /** An older alert on one line: magnitude and place, to show on the map or dismiss. */
  #line(quake: Quake): HTMLElement {
    const show = el(
      'button',
      {
        className: 'alert-line-show',
        text: `M${this.#i18n.mag(quake.mag)} · `,
        attrs: { type: 'button' },
      },
      el('bdi', { text: placeOf(quake, this.#i18n) }),
    );
    show.addEventListener('click', () => this.onShow(quake.id));
    const line = el(
      'div',
      { className: 'alert-line', dataset: { id: quake.id } },
      show,
      this.#closeButton(quake.id),
    );
    line.style.setProperty('--alert-colour', magnitudeColour(quake.mag));
    return line;
  }

  #foldButton(): HTMLElement {
    const fold = el('button', {
      className: 'alert-close',
      text: '–',
      attrs: { type: 'button', 'aria-label': this.#i18n.t('alert.fold'), 'aria-expanded': 'true' },
    });
    fold.addEventListener('click', () => this.fold());
    return fold;
  }

  #closeButton(id: string): HTMLElement {
    const close = el('button', {
      className: 'alert-close',
      text: '×',
      attrs: { type: 'button', 'aria-label': this.#i18n.t('alert.dismiss') },
    });
    close.addEventListener('click', () => this.#dismiss(id));
    return close;
  }
}

/**
 * The course's box gives the time in UTC; when the reader chose another zone (time-zone.ts), the
 * card also gives it there, under the box.
 */
function zonedTime(quake: Quake, i18n: I18n): HTMLElement | null {
  if (i18n.zone === 'utc') return null;
  const label = i18n.zone === 'local' ? 'quake.time' : 'quake.time.epicentre';
  return el('p', {
    className: 'alert-when',
    text: `${i18n.t(label)}: ${i18n.local(quake.time, quake)}`,
  });
}
