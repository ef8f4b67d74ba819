/**
 * How a quake looks: colour classes by magnitude or by depth, and a radius that grows with magnitude.
 * Both palettes are colour-blind safe (ColorBrewer RdYlBu and viridis): the classes differ in
 * lightness as well as hue, so they stay apart for deuteranopes, protanopes and in greyscale.
 */

export interface ColourClass {
  /** Lower bound of the class, inclusive; -Infinity for the first one. */
  readonly from: number;
  readonly colour: string;
}

/** Magnitude classes: blue below the course's alert threshold 4.5, warm colours from it on. */
export const MAGNITUDE_CLASSES: readonly ColourClass[] = [
  { from: Number.NEGATIVE_INFINITY, colour: '#4575b4' },
  { from: 1, colour: '#74add1' },
  { from: 2.5, colour: '#abd9e9' },
  { from: 4.5, colour: '#fdae61' },
  { from: 6, colour: '#f46d43' },
  { from: 7, colour: '#a50026' },
];

/** Depth classes in km (shallow, intermediate, deep, as seismologists split them). */
export const DEPTH_CLASSES: readonly ColourClass[] = [
  { from: Number.NEGATIVE_INFINITY, colour: '#fde725' },
  { from: 35, colour: '#7ad151' },
  { from: 70, colour: '#22a884' },
  { from: 150, colour: '#2a788e' },
  { from: 300, colour: '#414487' },
  { from: 500, colour: '#440154' },
];

/** Colour of a quake whose magnitude or depth is unknown. */
export const UNKNOWN_COLOUR = '#9e9e9e';

export type ColourBy = 'magnitude' | 'depth';

function classColour(classes: readonly ColourClass[], value: number | null): string {
  if (value === null) return UNKNOWN_COLOUR;
  let colour = UNKNOWN_COLOUR;
  for (const c of classes) {
    if (value >= c.from) colour = c.colour;
    else break;
  }
  return colour;
}

export function magnitudeColour(mag: number | null): string {
  return classColour(MAGNITUDE_CLASSES, mag);
}

export function depthColour(depth: number | null): string {
  return classColour(DEPTH_CLASSES, depth);
}

const MIN_RADIUS = 2;
const MAX_MAGNITUDE = 9.5;

/**
 * Marker radius in CSS pixels: 2 px for magnitude 0 or less (or unknown), about 6 px at M2.5,
 * 13 px at M4.5 and 24 px at M7. Quadratic, so large quakes stand out without hiding small ones.
 */
export function magnitudeRadius(mag: number | null): number {
  const m = Math.min(Math.max(mag ?? 0, 0), MAX_MAGNITUDE);
  return MIN_RADIUS + m + 0.3 * m * m;
}

/** Black or white, whichever reads better on `background` (a #rrggbb colour), by WCAG relative luminance. */
export function textColourOn(background: string): '#000000' | '#ffffff' {
  const channel = (offset: number) => {
    const c = Number.parseInt(background.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05); they are equal at L = 0.179.
  return luminance > 0.179 ? '#000000' : '#ffffff';
}
