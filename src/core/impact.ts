/**
 * What USGS knows of a quake's effect on people: "Did You Feel It?" reports, a ShakeMap, and the
 * PAGER alert level; the impact filter keeps only quakes that have the ones asked for.
 */
import type { PagerLevel, Quake } from './quake.ts';

export const IMPACTS = ['felt', 'shakemap', 'pager'] as const;
/** felt: at least one DYFI report; shakemap: a ShakeMap intensity; pager: a PAGER alert of yellow or above. */
export type Impact = (typeof IMPACTS)[number];

const PAGER_RANK: Readonly<Record<PagerLevel, number>> = { green: 0, yellow: 1, orange: 2, red: 3 };

export function hasImpact(quake: Quake, impact: Impact): boolean {
  switch (impact) {
    case 'felt':
      return quake.felt !== null && quake.felt > 0;
    case 'shakemap':
      return quake.mmi !== null;
    case 'pager':
      return quake.alert !== null && PAGER_RANK[quake.alert] >= PAGER_RANK.yellow;
  }
}

/** Roman numerals of the Modified Mercalli scale, as USGS writes intensities: 4.6 -> "V". */
const ROMAN = ['I', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

export function intensityNumeral(intensity: number): string {
  return ROMAN[Math.min(12, Math.max(0, Math.round(intensity)))] as string;
}
