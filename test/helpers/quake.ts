import type { Quake } from '../../src/core/quake.ts';

/** A valid quake (the seed's Tokyo example) with any fields replaced. */
export function makeQuake(overrides: Partial<Quake> = {}): Quake {
  return {
    id: 'us7000abcd',
    time: Date.UTC(2024, 0, 15, 10, 30),
    updated: Date.UTC(2024, 0, 15, 10, 30),
    mag: 5.2,
    magType: 'mww',
    place: '10km S of Tokyo, Japan',
    lat: 35.6,
    lon: 139.7,
    depth: 10.5,
    tsunami: false,
    status: 'reviewed',
    type: 'earthquake',
    url: null,
    alert: null,
    ...overrides,
  };
}
