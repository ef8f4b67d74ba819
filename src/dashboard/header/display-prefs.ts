/** The preferences that change how things are shown: the time zone of every time, and the plate boundaries. */
import { TIME_ZONES, type TimeZoneChoice } from '../../core/time-zone.ts';
import { byId } from '../ui/dom.ts';

export class DisplayPrefs {
  readonly #zone = byId<HTMLSelectElement>('pref-tz');
  readonly #plates = byId<HTMLInputElement>('pref-plates');
  onTimeZone: (zone: TimeZoneChoice) => void = () => {};
  onPlates: (on: boolean) => void = () => {};

  constructor() {
    this.#zone.addEventListener('change', () => {
      const zone = TIME_ZONES.find((choice) => choice === this.#zone.value);
      if (zone !== undefined) this.onTimeZone(zone);
    });
    this.#plates.addEventListener('change', () => this.onPlates(this.#plates.checked));
  }

  sync(zone: TimeZoneChoice, plates: boolean): void {
    this.#zone.value = zone;
    this.#plates.checked = plates;
  }
}
