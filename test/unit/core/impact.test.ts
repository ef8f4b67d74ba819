import { describe, expect, it } from 'vitest';
import { compileFilter, NO_FILTER } from '../../../src/core/filter.ts';
import { hasImpact, intensityNumeral } from '../../../src/core/impact.ts';
import { makeQuake } from '../../helpers/quake.ts';

const quiet = makeQuake({ id: 'quiet' });
const felt = makeQuake({ id: 'felt', felt: 12, cdi: 3.4 });
const shaken = makeQuake({ id: 'shaken', mmi: 5.1 });
const green = makeQuake({ id: 'green', alert: 'green', mmi: 4 });
const yellow = makeQuake({ id: 'yellow', alert: 'yellow', felt: 300, cdi: 6.2, mmi: 6.8 });
const red = makeQuake({ id: 'red', alert: 'red', mmi: 9 });
const all = [quiet, felt, shaken, green, yellow, red];

const kept = (impact: ('felt' | 'shakemap' | 'pager')[]) =>
  all.filter(compileFilter({ ...NO_FILTER, impact }, 0)).map((quake) => quake.id);

describe('the impact filter', () => {
  it('felt keeps quakes with at least one DYFI report', () => {
    expect(kept(['felt'])).toEqual(['felt', 'yellow']);
    expect(hasImpact(makeQuake({ felt: 0 }), 'felt')).toBe(false);
  });

  it('has ShakeMap keeps quakes with a ShakeMap intensity', () => {
    expect(kept(['shakemap'])).toEqual(['shaken', 'green', 'yellow', 'red']);
  });

  it('PAGER yellow+ keeps yellow, orange and red alerts, not green', () => {
    expect(kept(['pager'])).toEqual(['yellow', 'red']);
    expect(hasImpact(makeQuake({ alert: 'orange' }), 'pager')).toBe(true);
  });

  it('asks for every box that is checked, and nothing when none is', () => {
    expect(kept(['felt', 'pager'])).toEqual(['yellow']);
    expect(kept([])).toEqual(all.map((quake) => quake.id));
  });

  it('writes intensities as USGS does, in Roman numerals', () => {
    expect([1, 3.4, 4.6, 6.8, 9.5, 12].map(intensityNumeral)).toEqual([
      'I',
      'III',
      'V',
      'VII',
      'X',
      'XII',
    ]);
  });
});
