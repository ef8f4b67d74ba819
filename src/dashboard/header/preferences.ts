/**
 * The header's controls: language switch, theme toggle, and a preferences menu with the basemap,
 * the alert threshold and browser notifications.
 */
import { type Language, TILE_PROVIDERS, type Tiles } from '../../core/url-state.ts';
import type { I18n, MessageKey } from '../i18n/i18n.ts';
import { tilesAvailable } from '../map/quake-map.ts';
import { byId, el } from '../ui/dom.ts';
import type { Theme } from '../ui/theme.ts';

export type NotifyState = 'unsupported' | 'off' | 'on' | 'denied';

export interface PreferenceValues {
  readonly lang: Language;
  readonly theme: Theme;
  readonly tiles: Tiles;
  readonly alertMag: number;
  readonly notify: NotifyState;
}

export class Preferences {
  readonly #lang = byId<HTMLButtonElement>('lang-toggle');
  readonly #theme = byId<HTMLButtonElement>('theme-toggle');
  readonly #tiles = byId<HTMLSelectElement>('pref-tiles');
  readonly #alert = byId<HTMLInputElement>('pref-alert');
  readonly #notify = byId<HTMLButtonElement>('pref-notify');
  #values: PreferenceValues | null = null;
  onLanguage: (lang: Language) => void = () => {};
  onTheme: (theme: Theme) => void = () => {};
  onTiles: (tiles: Tiles) => void = () => {};
  onAlertMag: (mag: number) => void = () => {};
  onNotify: () => void = () => {};

  constructor() {
    this.#lang.addEventListener('click', () => {
      if (this.#values !== null) this.onLanguage(this.#values.lang === 'es' ? 'en' : 'es');
    });
    this.#theme.addEventListener('click', () => {
      if (this.#values !== null) this.onTheme(this.#values.theme === 'dark' ? 'light' : 'dark');
    });
    this.#tiles.addEventListener('change', () => this.onTiles(this.#tiles.value as Tiles));
    this.#alert.addEventListener('change', () => {
      const value = this.#alert.valueAsNumber;
      if (Number.isFinite(value) && value >= 0 && value <= 10) this.onAlertMag(value);
    });
    this.#notify.addEventListener('click', () => this.onNotify());
  }

  sync(values: PreferenceValues, i18n: I18n): void {
    this.#values = values;
    // The button names the language it switches to, in that language.
    // Its accessible name starts with the visible text, so speech control can say "EN".
    this.#lang.textContent = values.lang === 'es' ? 'EN' : 'ES';
    this.#lang.setAttribute('aria-label', values.lang === 'es' ? 'EN · English' : 'ES · Español');
    this.#lang.lang = values.lang === 'es' ? 'en' : 'es';
    const nextTheme = values.theme === 'dark' ? 'prefs.theme.light' : 'prefs.theme.dark';
    this.#theme.setAttribute('aria-label', i18n.t(nextTheme));
    this.#theme.title = i18n.t(nextTheme);
    this.#tiles.replaceChildren(
      ...TILE_PROVIDERS.map((tiles) => {
        const option = el('option', {
          text: i18n.t(`prefs.tiles.${tiles}` as MessageKey),
          attrs: { value: tiles },
        });
        option.disabled = !tilesAvailable(tiles, location.protocol);
        return option;
      }),
    );
    this.#tiles.value = values.tiles;
    if (this.#alert.valueAsNumber !== values.alertMag) this.#alert.value = String(values.alertMag);
    this.#notify.hidden = values.notify === 'unsupported';
    this.#notify.disabled = values.notify !== 'off';
    this.#notify.textContent = i18n.t(
      values.notify === 'on'
        ? 'prefs.notify.on'
        : values.notify === 'denied'
          ? 'prefs.notify.denied'
          : 'prefs.notify',
    );
  }
}
