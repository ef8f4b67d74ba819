import { describe, expect, it } from 'vitest';
import {
  epicentreOffset,
  isoWithOffset,
  offsetFor,
  offsetLabel,
} from '../../../src/core/time-zone.ts';

const T = Date.UTC(2024, 0, 15, 10, 30);

describe('the time zone of a time', () => {
  it('takes the epicentre offset from USGS tz when present, else one hour per 15° of longitude', () => {
    expect(epicentreOffset({ lon: 139.7, tz: null })).toBe(9 * 60);
    expect(epicentreOffset({ lon: -70.66, tz: null })).toBe(-5 * 60);
    expect(epicentreOffset({ lon: -7.4, tz: null })).toBe(0);
    expect(Object.is(epicentreOffset({ lon: -7.4, tz: null }), 0)).toBe(true);
    expect(epicentreOffset({ lon: 180, tz: null })).toBe(12 * 60);
    expect(epicentreOffset({ lon: 139.7, tz: 540 })).toBe(540);
    expect(epicentreOffset({ lon: 77, tz: 330 })).toBe(330);
  });

  it('writes times that belong to no quake in UTC when the choice is the epicentre', () => {
    const local = () => 60;
    expect(offsetFor('local', T, null, local)).toBe(60);
    expect(offsetFor('utc', T, { lon: 139.7, tz: null }, local)).toBe(0);
    expect(offsetFor('epicentre', T, { lon: 139.7, tz: null }, local)).toBe(540);
    expect(offsetFor('epicentre', T, null, local)).toBe(0);
  });

  it('labels offsets like USGS does', () => {
    expect(offsetLabel(0)).toBe('UTC');
    expect(offsetLabel(540)).toBe('UTC+9');
    expect(offsetLabel(-210)).toBe('UTC-3:30');
    expect(offsetLabel(345)).toBe('UTC+5:45');
  });

  it('writes ISO 8601 with the offset, naming the same instant', () => {
    expect(isoWithOffset(T, 0)).toBe('2024-01-15T10:30:00.000Z');
    expect(isoWithOffset(T, 540)).toBe('2024-01-15T19:30:00.000+09:00');
    expect(isoWithOffset(T, -210)).toBe('2024-01-15T07:00:00.000-03:30');
    for (const minutes of [-720, -210, 0, 345, 840]) {
      expect(Date.parse(isoWithOffset(T, minutes))).toBe(T);
    }
  });
});
