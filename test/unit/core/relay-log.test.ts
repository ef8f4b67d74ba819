import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/core/protocol.ts';
import type { Quake } from '../../../src/core/quake.ts';
import { RelayLog, type RelayRecord } from '../../../src/core/relay-log.ts';
import { runs } from '../../helpers/seed.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 0, 15, 12);

function quake(id: string, hoursAgo: number, mag: number, updated = NOW - hoursAgo * HOUR): Quake {
  return {
    id,
    time: NOW - hoursAgo * HOUR,
    updated,
    mag,
    magType: 'ml',
    place: null,
    lat: 0,
    lon: 0,
    depth: 1,
    tsunami: false,
    status: null,
    type: 'earthquake',
    url: null,
    alert: null,
    felt: null,
    cdi: null,
    mmi: null,
    tz: null,
  };
}

function record(
  partition: number,
  offset: number,
  q: Quake,
  kind: 'quake' | 'alert' = 'quake',
): RelayRecord {
  const topic = kind === 'quake' ? 'sismos' : 'sismos-alertas';
  return {
    position: `${topic}:${partition}`,
    offset: BigInt(offset),
    kind,
    quake: q,
    window: null,
    text: null,
  };
}

function log(capacity = 100) {
  const relay = new RelayLog({ epoch: 'e1', capacity, windowMs: 24 * HOUR, snapshotLimit: 1000 });
  relay.track('sismos:0', 0n);
  relay.track('sismos:1', 0n);
  return relay;
}

describe('RelayLog', () => {
  it('gives a resuming client exactly the records after its cursor, in arrival order', () => {
    const relay = log();
    relay.append(record(0, 0, quake('a', 1, 3)));
    relay.append(record(1, 0, quake('b', 1, 3)));
    const cursor = relay.cursor();
    relay.append(record(1, 1, quake('c', 1, 3)));
    relay.append(record(0, 1, quake('d', 1, 3)));
    const missed = relay.since(cursor);
    expect(Array.isArray(missed) && missed.map((e) => e.record.quake?.id)).toEqual(['c', 'd']);
    expect(Array.isArray(missed) && missed.at(-1)?.cursor).toBe('e1;sismos:0=2,sismos:1=2');
    expect(relay.since(relay.cursor())).toEqual([]);
  });

  it('resets a cursor older than what it keeps, from another stream, or missing a partition', () => {
    const relay = log(2);
    const start = relay.cursor();
    for (let i = 0; i < 3; i++) relay.append(record(0, i, quake(`q${i}`, 1, 3)));
    expect(relay.since(start)).toBe('the cursor is older than what the bridge keeps for sismos:0');
    expect(relay.since({ ...relay.cursor(), epoch: 'e0' })).toBe(
      'the cursor belongs to another stream',
    );
    expect(relay.since({ epoch: 'e1', next: new Map([['sismos:0', 3n]]) })).toBe(
      'the cursor does not cover sismos:1',
    );
    const ahead = new Map(relay.cursor().next).set('sismos:1', 5n);
    expect(relay.since({ epoch: 'e1', next: ahead })).toBe(
      'the cursor is ahead of the bridge on sismos:1',
    );
  });

  it('still resumes a cursor right at the oldest kept record', () => {
    const relay = log(2);
    for (let i = 0; i < 3; i++) relay.append(record(0, i, quake(`q${i}`, 1, 3)));
    const atOldest = {
      epoch: 'e1',
      next: new Map([
        ['sismos:0', 1n],
        ['sismos:1', 0n],
      ]),
    };
    const missed = relay.since(atOldest);
    expect(Array.isArray(missed) && missed.map((e) => e.record.offset)).toEqual([1n, 2n]);
  });

  it('keeps at most `capacity` records however long the stream', () => {
    const relay = log(50);
    for (let i = 0; i < 10_000; i++)
      relay.append(record(i % 2, Math.floor(i / 2), quake(`q${i}`, 1, 3)));
    expect(relay.size).toBe(50);
  });

  it('ignores a record it already relayed', () => {
    const relay = log();
    expect(relay.append(record(0, 0, quake('a', 1, 3)))).not.toBeNull();
    expect(relay.append(record(0, 0, quake('a', 1, 3)))).toBeNull();
    expect(relay.size).toBe(1);
  });

  it('snapshots the newest version of each quake in the window, and recent alerts and windows', () => {
    const relay = log();
    relay.append(record(0, 0, quake('a', 2, 4.0)));
    relay.append(record(0, 1, quake('a', 2, 4.7, NOW - HOUR)));
    relay.append(record(1, 0, quake('old', 30, 6.0)));
    relay.append(record(0, 2, quake('a', 2, 4.1, NOW - 90 * 60_000))); // an older revision, late
    relay.append(record(0, 0, quake('a', 2, 4.7, NOW - HOUR), 'alert'));
    relay.append({
      position: 'sismos-stats:0',
      offset: 0n,
      kind: 'stats',
      quake: null,
      window: {
        start: NOW - HOUR,
        end: NOW - HOUR + 300_000,
        count: 1,
        withMagnitude: 1,
        avgMag: 4.7,
        maxMag: 4.7,
      },
      text: null,
    });
    const snapshot = relay.snapshot(NOW);
    expect(snapshot.quakes.map(({ quake: q }) => [q.id, q.mag])).toEqual([['a', 4.7]]);
    expect(snapshot.alerts.map(({ quake: q }) => q.id)).toEqual(['a']);
    expect(snapshot.stats).toHaveLength(1);
    expect(snapshot.cursor.next.get('sismos:0')).toBe(3n);
  });

  it('numbers records in arrival order and finds a kept one by its number', () => {
    const relay = log(3);
    for (let i = 0; i < 5; i++)
      relay.append(record(i % 2, Math.floor(i / 2), quake(`q${i}`, 1, 3)));
    expect(relay.head).toBe(5);
    expect(relay.oldest).toBe(2);
    expect(relay.at(1)).toBeUndefined();
    expect(relay.at(2)?.record.quake?.id).toBe('q2');
    expect(relay.at(4)?.seq).toBe(4);
    expect(relay.at(5)).toBeUndefined();
  });

  it('gives each record the cursor just after it', () => {
    const relay = log();
    relay.track('sismos-alertas:0', 7n);
    const a = relay.append(record(1, 0, quake('a', 1, 3)));
    const b = relay.append(record(0, 0, quake('b', 1, 3)));
    const c = relay.append(record(0, 7, quake('x', 1, 3), 'alert'));
    expect(a?.cursor).toBe('e1;sismos:0=0,sismos:1=1,sismos-alertas:0=7');
    expect(b?.cursor).toBe('e1;sismos:0=1,sismos:1=1,sismos-alertas:0=7');
    expect(c?.cursor).toBe(encodeCursor(relay.cursor()));
    expect(c?.cursor).toBe('e1;sismos:0=1,sismos:1=1,sismos-alertas:0=8');
  });

  it('snapshots at most snapshotLimit quakes, the latest to arrive, however many pass', () => {
    const relay = new RelayLog({
      epoch: 'e1',
      capacity: 100,
      windowMs: 24 * HOUR,
      snapshotLimit: 500,
    });
    for (let i = 0; i < 20_000; i++) relay.append(record(0, i, quake(`q${i}`, 1, 3)));
    const { quakes } = relay.snapshot(NOW);
    expect(quakes).toHaveLength(500);
    expect(quakes[0]?.quake.id).toBe('q19500');
    expect(quakes.at(-1)?.quake.id).toBe('q19999');
  });
});

describe('RelayLog: the cursor of each entry', () => {
  it('is the cursor the log had just after the entry came, however many came after, whichever partitions they were in, whenever and however it is built', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              partition: fc.integer({ min: 0, max: 4 }),
              skip: fc.integer({ min: 0, max: 2 }),
            }),
            fc.record({ track: fc.integer({ min: 5, max: 7 }) }),
          ),
          { minLength: 1, maxLength: 1500 },
        ),
        fc.integer({ min: 10, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, capacity, cut) => {
          const relay = new RelayLog({
            epoch: 'e1',
            capacity,
            windowMs: 24 * HOUR,
            snapshotLimit: 50,
          });
          relay.track('sismos:0', 3n);
          const next = new Map<number, number>();
          const cursors: string[] = [];
          for (const step of steps) {
            if ('track' in step) {
              relay.track(`sismos:${step.track}`, BigInt(step.track));
              continue;
            }
            // Offsets may skip (transaction markers, rejected records) and repeat (re-deliveries).
            const offset = (next.get(step.partition) ?? 3) + step.skip - 1;
            next.set(step.partition, Math.max(offset + 1, next.get(step.partition) ?? 0));
            const entry = relay.append(record(step.partition, offset, quake(`q${offset}`, 1, 3)));
            if (entry !== null) cursors[entry.seq] = encodeCursor(relay.cursor());
          }
          // Built at once for a stretch (as for frames of one record each), or asked for one by one
          // from the newest back, then from the oldest on: the same every way.
          const from = relay.oldest + Math.floor(cut * relay.size);
          relay.buildCursors(from, relay.head);
          for (let seq = from; seq < relay.head; seq++)
            expect(relay.at(seq)?.cursor).toBe(cursors[seq]);
          for (let seq = relay.head - 1; seq >= relay.oldest; seq -= 97)
            expect(relay.at(seq)?.cursor).toBe(cursors[seq]);
          for (let seq = relay.oldest; seq < relay.head; seq++)
            expect(relay.at(seq)?.cursor).toBe(cursors[seq]);
        },
      ),
      runs(100),
    );
  });
});
