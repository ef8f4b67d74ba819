/**
 * The settings of this page and where they live. On load each setting comes from the URL hash
 * (the latest shareable state), else the query (`?feed=…&min=…`, a link or a test), else
 * localStorage (the last visit), else the default. Every change is written back to the hash and
 * to localStorage.
 */
import {
  decodeSession,
  encodeSettings,
  mergeSettings,
  SETTING_KEYS,
  type SessionOptions,
  type Settings,
} from '../../core/url-state.ts';
import { storage } from './storage.ts';

const STORAGE_KEY = 'settings';

export class SettingsStore {
  readonly session: SessionOptions;
  readonly #query: URLSearchParams;
  /** Keys the query sets: the hash must always state them, or the query would win on reload. */
  readonly #explicit: ReadonlySet<string>;
  #settings: Settings;
  /** The settings changed (by the user here, or by editing the URL hash). */
  onChange: (next: Settings, previous: Settings) => void = () => {};

  constructor() {
    this.#query = new URLSearchParams(location.search);
    this.session = decodeSession(this.#query);
    this.#explicit = new Set(SETTING_KEYS.filter((key) => this.#query.has(key)));
    this.#settings = this.#read();
    this.#write();
    window.addEventListener('hashchange', () => {
      const previous = this.#settings;
      this.#settings = this.#read();
      this.#write();
      this.onChange(this.#settings, previous);
    });
  }

  get settings(): Settings {
    return this.#settings;
  }

  update(patch: Partial<Settings>): void {
    const previous = this.#settings;
    this.#settings = { ...previous, ...patch };
    this.#write();
    this.onChange(this.#settings, previous);
  }

  #read(): Settings {
    const hash = new URLSearchParams(location.hash.slice(1));
    const stored = new URLSearchParams(storage.get(STORAGE_KEY) ?? '');
    return mergeSettings(hash, this.#query, stored);
  }

  #write(): void {
    const hash = encodeSettings(this.#settings, this.#explicit).toString();
    if (location.hash.slice(1) !== hash) {
      history.replaceState(history.state, '', `${location.pathname}${location.search}#${hash}`);
    }
    storage.set(STORAGE_KEY, encodeSettings(this.#settings).toString());
  }
}
