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

/** The value fields of a `sismos` record, in order: the eight of challenge 4, then the README's extras. */
export const MESSAGE_FIELDS = [
  'id',
  'magnitud',
  'lugar',
  'latitud',
  'longitud',
  'profundidad_km',
  'timestamp',
  'tsunami',
  'actualizado',
  'tipo_magnitud',
  'tipo_evento',
  'estado',
  'url',
];
