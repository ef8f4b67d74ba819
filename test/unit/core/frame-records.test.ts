import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageError, ProtocolError } from '../../../src/core/errors.ts';
import { type FrameRecords, frameRecords } from '../../../src/core/frame-records.ts';
import {
  batchFrameText,
  helloFrameText,
  recordFrameText,
  sourceFrameText,
} from '../../../src/core/frame-text.ts';
import { toMessage } from '../../../src/core/message.ts';
import { encodeCursor } from '../../../src/core/protocol.ts';
import type { Quake } from '../../../src/core/quake.ts';
import { type Entry, RelayLog, type RelayRecord } from '../../../src/core/relay-log.ts';
import type { WindowStats } from '../../../src/core/window.ts';
import { catchError } from '../../helpers/catch.ts';
import { makeQuake } from '../../helpers/quake.ts';
import { runs } from '../../helpers/seed.ts';

const NOW = Date.UTC(2024, 0, 15, 12);
const MINUTE = 60_000;

const quakeArb = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 12 }).filter((id) => id.trim() !== ''),
    mag: fc.option(fc.integer({ min: -10, max: 95 }).map((m) => m / 10)),
    place: fc.option(fc.string({ maxLength: 30 })),
    lat: fc.integer({ min: -900, max: 900 }).map((v) => v / 10),
    lon: fc.integer({ min: -1800, max: 1800 }).map((v) => v / 10),
    minutesAgo: fc.integer({ min: 0, max: 600 }),
  })
  .map(({ minutesAgo, ...fields }) =>
    makeQuake({ ...fields, time: NOW - minutesAgo * MINUTE, updated: NOW - minutesAgo * MINUTE }),
  );

const windowArb = fc
  .record({ slot: fc.integer({ min: 0, max: 100 }), count: fc.integer({ min: 0, max: 50 }) })
  .map(
    ({ slot, count }): WindowStats => ({
      start: NOW - slot * 5 * MINUTE,
      end: NOW - (slot - 1) * 5 * MINUTE,
      count,
      withMagnitude: count,
      avgMag: count === 0 ? null : 3.25,
      maxMag: count === 0 ? null : 5.5,
    }),
  );

/** A relayed record without its place in the stream: what a source gives the relay log. */
type Relayed = { kind: 'quake' | 'alert'; quake: Quake } | { kind: 'stats'; window: WindowStats };

const recordArb: fc.Arbitrary<Relayed> = fc.oneof(
  fc.record({ kind: fc.constantFrom('quake' as const, 'alert' as const), quake: quakeArb }),
  fc.record({ kind: fc.constant('stats' as const), window: windowArb }),
);

/** Keeps the records in a relay log, each in its topic's partition; returns their entries. */
function relayed(records: Relayed[]): { entries: Entry[]; relay: RelayLog } {
  const relay = new RelayLog({
    epoch: 'k-e',
    capacity: 10_000,
    windowMs: 86_400_000,
    snapshotLimit: 10_000,
  });
  const next = new Map<string, bigint>();
  const entries = records.map((record, i) => {
    const topic =
      record.kind === 'quake' ? 'sismos' : record.kind === 'alert' ? 'alertas' : 'stats';
    const position = `${topic}:${i % 3}`;
    const offset = next.get(position) ?? 0n;
    next.set(position, offset + 1n);
    const full: RelayRecord = {
      position,
      offset,
      kind: record.kind,
      quake: 'quake' in record ? record.quake : null,
      window: 'window' in record ? record.window : null,
      // Quakes from Kafka travel as the text they came as; the others are encoded by the frame.
      text: 'quake' in record && i % 2 === 0 ? JSON.stringify(toMessage(record.quake)) : null,
    };
    return relay.append(full) as Entry;
  });
  return { entries, relay };
}

/** What the page reads from a frame's text. */
function read(text: string): FrameRecords {
  return frameRecords(JSON.parse(text), NOW) as FrameRecords;
}

/** Cuts `entries` into runs of the given lengths (cycled), as the bridge's batches would be. */
function cut(entries: Entry[], lengths: number[]): Entry[][] {
  const runs: Entry[][] = [];
  for (let at = 0, i = 0; at < entries.length; i++) {
    const length = lengths[i % lengths.length] as number;
    runs.push(entries.slice(at, at + length));
    at += length;
  }
  return runs;
}

describe('frameRecords', () => {
  it('reads the same records, in the same order, from batch frames (version 2) as from one frame per record (version 1), and the cursor after the last', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
        (records, lengths) => {
          const { entries, relay } = relayed(records);
          const one = entries.map((entry) => read(recordFrameText(entry)));
          const batches = cut(entries, lengths).map((run) => ({
            run,
            frame: read(batchFrameText(run)),
          }));
          expect(batches.flatMap(({ frame }) => frame.items)).toEqual(
            one.flatMap((frame) => frame.items),
          );
          for (const { run, frame } of batches) {
            expect(frame.items).toHaveLength(run.length);
            expect(frame.cursor).toBe(run.at(-1)?.cursor);
          }
          expect(batches.at(-1)?.frame.cursor).toBe(encodeCursor(relay.cursor()));
          expect(one.at(-1)?.cursor).toBe(encodeCursor(relay.cursor()));
        },
      ),
      runs(300),
    );
  });

  it('gives each record of a frame as the page takes it: quakes, alerts and windows validated', () => {
    const quake = makeQuake({ id: 'a1', time: NOW - MINUTE, updated: NOW - MINUTE });
    const window: WindowStats = {
      start: NOW - 5 * MINUTE,
      end: NOW,
      count: 0,
      withMagnitude: 0,
      avgMag: null,
      maxMag: null,
    };
    const { entries } = relayed([
      { kind: 'alert', quake },
      { kind: 'stats', window },
    ]);
    expect(read(batchFrameText(entries)).items).toEqual([
      { kind: 'alert', quake },
      { kind: 'stats', window },
    ]);
  });

  it('carries no records in hello, snapshot and source frames, nor in a frame of a type it does not know', () => {
    expect(frameRecords(JSON.parse(helloFrameText('kafka', 1000, 2)), NOW)).toBeNull();
    expect(frameRecords(JSON.parse(sourceFrameText(false, 'down')), NOW)).toBeNull();
    expect(frameRecords({ type: 'snapshot', quakes: [], cursor: 'e;' }, NOW)).toBeNull();
    expect(frameRecords({ type: 'future', cursor: 'e;' }, NOW)).toBeNull();
    expect(frameRecords('batch', NOW)).toBeNull();
  });

  it('passes over a batch item of a type it does not know, keeping the others', () => {
    const { entries } = relayed([{ kind: 'quake', quake: makeQuake({ time: NOW, updated: NOW }) }]);
    const frame = JSON.parse(batchFrameText(entries));
    frame.items.unshift({ type: 'future', x: 1 }, 7);
    expect(frameRecords(frame, NOW)?.items.map((item) => item.kind)).toEqual(['quake']);
  });

  it('refuses a whole batch frame when one of its quakes is not valid, naming the field', () => {
    const { entries } = relayed([
      { kind: 'quake', quake: makeQuake({ id: 'ok', time: NOW, updated: NOW }) },
      { kind: 'quake', quake: makeQuake({ id: 'bad', time: NOW, updated: NOW }) },
    ]);
    const frame = JSON.parse(batchFrameText(entries));
    frame.items[1].quake.latitud = 91;
    const error = catchError(() => frameRecords(frame, NOW));
    expect(error).toBeInstanceOf(MessageError);
    expect((error as MessageError).field).toBe('latitud');
  });

  it('refuses a batch frame without an array of items', () => {
    const error = catchError(() => frameRecords({ type: 'batch', items: {}, cursor: 'e;' }, NOW));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(
      "a batch frame's items must be an array, got object",
    );
  });
});
