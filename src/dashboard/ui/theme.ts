/**
 * Light and dark themes. The page follows the system (prefers-color-scheme) until the user picks
 * one with the toggle; the choice is remembered. Colours live in styles.css as custom properties;
 * the map's canvas reads them from there.
 */
import type { MapTheme } from '../map/quake-map.ts';
import { storage } from '../state/storage.ts';

export type Theme = 'light' | 'dark';

export function initialTheme(): Theme {
  const stored = storage.get('theme');
  if (stored === 'light' || stored === 'dark') return stored;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Calls `onChange` when the system theme changes, as long as the user has not picked one. */
export function followSystemTheme(onChange: (theme: Theme) => void): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (event) => {
    if (storage.get('theme') === null) onChange(event.matches ? 'dark' : 'light');
  });
}

export function applyTheme(theme: Theme, remember: boolean): void {
  document.documentElement.dataset.theme = theme;
  if (remember) storage.set('theme', theme);
}

export function mapTheme(theme: Theme): MapTheme {
  const style = getComputedStyle(document.documentElement);
  const colour = (name: string) => style.getPropertyValue(name).trim();
  return {
    dark: theme === 'dark',
    land: colour('--map-land'),
    coast: colour('--map-coast'),
    border: colour('--map-border'),
    graticule: colour('--map-graticule'),
    outline: colour('--marker-outline'),
    selection: colour('--marker-selection'),
  };
}
