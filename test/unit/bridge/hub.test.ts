import { describe, expect, it } from 'vitest';
import { frameText } from '../../../bridge/lib/hub.ts';
import type { Entry } from '../../../bridge/lib/relay-log.ts';
import { toMessage } from '../../../src/core/message.ts';
import type { Quake } from '../../../src/core/quake.ts';
import { toStatsMessage } from '../../../src/core/stats-message.ts';
import type { WindowStats } from '../../../src/core/window.ts';
import { makeQuake } from '../../helpers/quake.ts';

const quake: Quake = makeQuake({
  updated: Date.UTC(2024, 0, 15, 10, 45),
  place: '10 km S of "Tokyo", Japan',
  url: 'https://earthquake.usgs.gov/earthquakes/eventpage/us7000abcd',
});
const window: WindowStats = {
  start: Date.UTC(2024, 0, 15, 10, 30),
  end: Date.UTC(2024, 0, 15, 10, 35),
  count: 3,
  withMagnitude: 2,
  avgMag: 3.75,
  maxMag: 5.4,
};
const cursor = 'k-abc;sismos:0=152,sismos:1=149,sismos-alertas:0=7';

function entry(kind: 'quake' | 'alert' | 'stats'): Entry {
  return {
    seq: 0,
    cursor,
    record: {
      position: 'sismos:0',
      offset: 151n,
      kind,
      quake: kind === 'stats' ? null : quake,
      window: kind === 'stats' ? window : null,
      text: null,
    },
  };
}

describe('frameText', () => {
  it.each([
    ['quake', { type: 'quake', quake: toMessage(quake), cursor }],
    ['alert', { type: 'alert', quake: toMessage(quake), cursor }],
    ['stats', { type: 'stats', window: toStatsMessage(window), cursor }],
  ] as const)('writes the %s frame of docs/protocol.md, as JSON.stringify would', (kind, frame) => {
    expect(frameText(entry(kind))).toBe(JSON.stringify(frame));
  });

  it('passes a validated message from Kafka on as its text was, not encoded again', () => {
    // The eight challenge-4 fields alone, spaced as a student's producer might write them.
    const text =
      '{ "id": "us7000abcd", "magnitud": 5.2, "lugar": null, "latitud": 35.6, "longitud": 139.7, "profundidad_km": 10.5, "timestamp": "2024-01-15T10:30:00.000Z", "tsunami": false }';
    const base = entry('quake');
    const frame = frameText({ ...base, record: { ...base.record, text } });
    expect(frame).toBe(`{"type":"quake","quake":${text},"cursor":${JSON.stringify(cursor)}}`);
    expect(JSON.parse(frame).quake).toEqual(JSON.parse(text));
  });
});
