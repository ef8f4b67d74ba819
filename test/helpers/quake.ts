import type { Quake } from '../../src/core/quake.ts';

/** A valid quake for unit tests; override only what the test is about. */
export function quake(overrides: Partial<Quake> = {}): Quake {
  return {
    id: 'us7000test',
    time: Date.UTC(2024, 0, 15, 10, 30),
    updated: Date.UTC(2024, 0, 15, 10, 45),
    mag: 4.2,
    magType: 'mb',
    place: '10 km S of Somewhere, Chile',
    lat: -33.4,
    lon: -70.5,
    depth: 10,
    tsunami: false,
    status: 'reviewed',
    type: 'earthquake',
    url: 'https://earthquake.usgs.gov/earthquakes/eventpage/us7000test',
    alert: null,
    ...overrides,
  };
}
