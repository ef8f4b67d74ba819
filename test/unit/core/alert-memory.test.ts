import { describe, expect, it } from 'vitest';
import { pendingAlerts, readAlertMemory, rememberAlerts } from '../../../src/core/alert-memory.ts';
import { makeQuake } from '../../helpers/quake.ts';

describe('readAlertMemory', () => {
  it('reads a stored list and treats anything else as an empty memory', () => {
    expect(readAlertMemory('["a","b"]')).toEqual(['a', 'b']);
    expect(readAlertMemory('["a",3,null]')).toEqual(['a']);
    expect(readAlertMemory(null)).toEqual([]);
    expect(readAlertMemory('{"a":1}')).toEqual([]);
    expect(readAlertMemory('not json')).toEqual([]);
  });
});

describe('rememberAlerts', () => {
  it('appends new ids once and keeps only the newest ones', () => {
    expect(rememberAlerts(['a', 'b'], ['b', 'c', 'c'])).toEqual(['a', 'b', 'c']);
    expect(rememberAlerts(['a', 'b', 'c'], ['d', 'e'], 3)).toEqual(['c', 'd', 'e']);
  });
});

describe('pendingAlerts', () => {
  it('returns quakes at or above the threshold not alerted before, newest first', () => {
    const quakes = [
      makeQuake({ id: 'old', mag: 5, time: 1000 }),
      makeQuake({ id: 'small', mag: 4.4, time: 3000 }),
      makeQuake({ id: 'new', mag: 4.5, time: 2000 }),
      makeQuake({ id: 'seen', mag: 6, time: 4000 }),
      makeQuake({ id: 'none', mag: null, time: 5000 }),
    ];
    expect(pendingAlerts(quakes, 4.5, new Set(['seen'])).map((q) => q.id)).toEqual(['new', 'old']);
    expect(pendingAlerts(quakes, 6, new Set()).map((q) => q.id)).toEqual(['seen']);
  });
});
