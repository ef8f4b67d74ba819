import { describe, expect, it } from 'vitest';
import {
  batchFrameText,
  helloFrameText,
  recordFrameText,
  snapshotFrameHead,
  snapshotFrameTail,
  sourceFrameText,
} from '../../../src/core/frame-text.ts';
import { encodeMessage, toMessage } from '../../../src/core/message.ts';
import { decodeCursor, PROTOCOL_VERSION } from '../../../src/core/protocol.ts';
import type { Quake } from '../../../src/core/quake.ts';
import type { Entry } from '../../../src/core/relay-log.ts';
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

describe('recordFrameText', () => {
  it.each([
    ['quake', { type: 'quake', quake: toMessage(quake), cursor }],
    ['alert', { type: 'alert', quake: toMessage(quake), cursor }],
    ['stats', { type: 'stats', window: toStatsMessage(window), cursor }],
  ] as const)('writes the %s frame of docs/protocol.md, as JSON.stringify would', (kind, frame) => {
    expect(recordFrameText(entry(kind))).toBe(JSON.stringify(frame));
  });

  it('passes a validated message from Kafka on as its text was, not encoded again', () => {
    // The eight challenge-4 fields alone, spaced as a student's producer might write them.
    const text =
      '{ "id": "us7000abcd", "magnitud": 5.2, "lugar": null, "latitud": 35.6, "longitud": 139.7, "profundidad_km": 10.5, "timestamp": "2024-01-15T10:30:00.000Z", "tsunami": false }';
    const base = entry('quake');
    const frame = recordFrameText({ ...base, record: { ...base.record, text } });
    expect(frame).toBe(`{"type":"quake","quake":${text},"cursor":${JSON.stringify(cursor)}}`);
    expect(JSON.parse(frame).quake).toEqual(JSON.parse(text));
  });
});

describe('batchFrameText', () => {
  it('writes the batch frame of docs/protocol.md (version 2): each record as its frame without the cursor, and the cursor of the last', () => {
    const last = { ...entry('stats'), cursor: `${cursor},sismos-stats:0=4` };
    expect(batchFrameText([entry('quake'), entry('alert'), last])).toBe(
      JSON.stringify({
        type: 'batch',
        items: [
          { type: 'quake', quake: toMessage(quake) },
          { type: 'alert', quake: toMessage(quake) },
          { type: 'stats', window: toStatsMessage(window) },
        ],
        cursor: last.cursor,
      }),
    );
  });
});

describe('the other frames', () => {
  it('writes hello and source frames as JSON.stringify of docs/protocol.md would', () => {
    expect(helloFrameText('direct', 86_400_000)).toBe(
      JSON.stringify({
        type: 'hello',
        version: PROTOCOL_VERSION,
        mode: 'direct',
        windowMs: 86_400_000,
      }),
    );
    expect(sourceFrameText(false, 'USGS feed at "x" returned HTTP 503')).toBe(
      JSON.stringify({ type: 'source', ok: false, message: 'USGS feed at "x" returned HTTP 503' }),
    );
  });

  it('writes a snapshot in a head of its own and a shared tail that join into the whole frame', () => {
    const other = makeQuake({ id: 'us7000efgh', place: 'Ω "quoted" place' });
    const items = [encodeMessage(quake), encodeMessage(other)].join(',');
    const next = decodeCursor(cursor);
    if (next === null) throw new Error('the test cursor does not decode');
    const text =
      snapshotFrameHead('the cursor belongs to another stream') +
      snapshotFrameTail(`[${items}]`, '[]', [window], next);
    expect(text).toBe(
      JSON.stringify({
        type: 'snapshot',
        reset: 'the cursor belongs to another stream',
        quakes: [toMessage(quake), toMessage(other)],
        alerts: [],
        stats: [toStatsMessage(window)],
        cursor,
      }),
    );
    expect(snapshotFrameHead(null) + snapshotFrameTail('[]', '[]', [], next)).toBe(
      JSON.stringify({ type: 'snapshot', reset: null, quakes: [], alerts: [], stats: [], cursor }),
    );
  });
});
