import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CountWindows,
  type EventShape,
  EventWindows,
  sessions,
  sliding,
  tumbling,
  type Window,
  type WindowKind,
} from '../../../src/core/event-windows.ts';
import { runs } from '../../helpers/seed.ts';

const T0 = Date.UTC(2026, 11, 1, 10, 0);
const MIN = 60_000;

interface Click {
  readonly id: string;
  readonly user: string;
  readonly time: number;
}

const SHAPE: EventShape<Click> = { id: (c) => c.id, key: (c) => c.user, time: (c) => c.time };
const GLOBAL: EventShape<Click> = { ...SHAPE, key: () => '' };

/** A window as [user, start, end, ids in time order]. */
type Seen = [string, number, number, string[]];

function engine(kind: WindowKind, shape = SHAPE) {
  return new EventWindows<Click, Seen>(kind, shape, (w: Window, clicks) => [
    w.key,
    w.start,
    w.end,
    [...clicks].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1)).map((c) => c.id),
  ]);
}

function click(id: string, user: string, minutes: number): Click {
  return { id, user, time: T0 + minutes * MIN };
}

describe('session windows', () => {
  it('keeps a user in one session while the gaps stay under 30 minutes, and starts another after 30 or more', () => {
    const windows = engine(sessions(30 * MIN));
    for (const c of [
      click('a', 'u1', 0),
      click('b', 'u1', 29),
      click('c', 'u1', 50),
      click('d', 'u1', 80),
    ]) {
      windows.add(c);
    }
    expect(windows.closeUpTo(Number.POSITIVE_INFINITY)).toEqual([
      ['u1', T0, T0 + 80 * MIN, ['a', 'b', 'c']],
      ['u1', T0 + 80 * MIN, T0 + 110 * MIN, ['d']],
    ]);
  });

  it('keeps each user in sessions of their own', () => {
    const windows = engine(sessions(30 * MIN));
    windows.add(click('a', 'u1', 0));
    windows.add(click('b', 'u2', 5));
    windows.add(click('c', 'u1', 10));
    expect(windows.openWindows()).toEqual([
      ['u1', T0, T0 + 40 * MIN, ['a', 'c']],
      ['u2', T0 + 5 * MIN, T0 + 35 * MIN, ['b']],
    ]);
  });

  it('merges two sessions when an out-of-order event fills the gap between them', () => {
    const windows = engine(sessions(30 * MIN));
    windows.add(click('a', 'u1', 0));
    windows.add(click('c', 'u1', 50));
    expect(windows.openWindows()).toHaveLength(2);
    const { updated } = windows.add(click('b', 'u1', 25));
    expect(updated).toEqual([['u1', T0, T0 + 80 * MIN, ['a', 'b', 'c']]]);
    expect(windows.openWindows()).toHaveLength(1);
  });

  it('splits a session again when the event that joined it is revised to another time', () => {
    const windows = engine(sessions(30 * MIN));
    windows.add(click('a', 'u1', 0));
    windows.add(click('b', 'u1', 25));
    windows.add(click('c', 'u1', 50));
    windows.add(click('b', 'u1', 200));
    expect(windows.openWindows()).toEqual([
      ['u1', T0, T0 + 30 * MIN, ['a']],
      ['u1', T0 + 50 * MIN, T0 + 80 * MIN, ['c']],
      ['u1', T0 + 200 * MIN, T0 + 230 * MIN, ['b']],
    ]);
  });

  it('closes a session when the watermark reaches its last event plus the gap, and leaves out a later event that cannot join an open one', () => {
    const windows = engine(sessions(30 * MIN));
    windows.add(click('a', 'u1', 0));
    windows.add(click('b', 'u1', 10));
    expect(windows.closeUpTo(T0 + 39 * MIN)).toEqual([]);
    expect(windows.closeUpTo(T0 + 40 * MIN)).toEqual([['u1', T0, T0 + 40 * MIN, ['a', 'b']]]);
    expect(windows.add(click('late', 'u1', 5))).toEqual({ updated: [], late: true });
    expect(windows.lateCount).toBe(1);
  });

  it('lets an event whose own session would be closed join an open session it falls within', () => {
    const windows = engine(sessions(30 * MIN));
    windows.add(click('a', 'u1', 0));
    windows.add(click('b', 'u1', 25));
    windows.closeUpTo(T0 + 40 * MIN);
    const added = windows.add(click('c', 'u1', 5));
    expect(added).toEqual({ updated: [['u1', T0, T0 + 55 * MIN, ['a', 'c', 'b']]], late: false });
  });
});

describe('sliding and tumbling windows', () => {
  it('puts an event in every sliding window that contains it, and closes each at its end', () => {
    const windows = engine(sliding(10 * MIN, 5 * MIN), GLOBAL);
    windows.add(click('a', 'u1', 7));
    windows.add(click('b', 'u2', 12));
    expect(windows.closeUpTo(T0 + 15 * MIN)).toEqual([
      ['', T0, T0 + 10 * MIN, ['a']],
      ['', T0 + 5 * MIN, T0 + 15 * MIN, ['a', 'b']],
    ]);
    expect(windows.openWindows()).toEqual([['', T0 + 10 * MIN, T0 + 20 * MIN, ['b']]]);
  });

  it('rejects a slide longer than the window, naming both', () => {
    expect(() => sliding(10, 20)).toThrow(/size 10 ms, slide 20 ms/);
    expect(() => sessions(0)).toThrow(/gap > 0/);
  });

  const stream = fc.array(
    fc.record({
      user: fc.constantFrom('u1', 'u2', 'u3'),
      minute: fc.integer({ min: 0, max: 600 }),
    }),
    { maxLength: 80 },
  );

  it('tumbling windows partition the events exactly: each event in one window, the one containing its time', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 120 }), (rows, size) => {
        const windows = engine(tumbling(size * MIN), GLOBAL);
        const clicks = rows.map((r, i) => click(`e${i}`, r.user, r.minute));
        for (const c of clicks) windows.add(c);
        const all = windows.closeUpTo(Number.POSITIVE_INFINITY);
        const ids = all.flatMap(([, , , members]) => members);
        expect(ids.sort()).toEqual(clicks.map((c) => c.id).sort());
        for (const [, start, end, members] of all) {
          for (const id of members) {
            const time = clicks.find((c) => c.id === id)?.time ?? Number.NaN;
            expect(time >= start && time < end).toBe(true);
          }
        }
      }),
      runs(100),
    );
  });

  it('sliding windows hold each event exactly size/slide times, whatever the order the events come in', () => {
    fc.assert(
      fc.property(
        stream,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 6 }),
        (rows, slide, ratio) => {
          const windows = engine(sliding(slide * ratio * MIN, slide * MIN), GLOBAL);
          const clicks = rows.map((r, i) => click(`e${i}`, r.user, r.minute));
          for (const c of clicks) windows.add(c);
          const all = windows.closeUpTo(Number.POSITIVE_INFINITY);
          for (const c of clicks) {
            const holding = all.filter(([, , , members]) => members.includes(c.id));
            expect(holding).toHaveLength(ratio);
            for (const [, start, end] of holding)
              expect(c.time >= start && c.time < end).toBe(true);
          }
        },
      ),
      runs(100),
    );
  });

  it('session windows are the gap-split runs of each user’s times, whatever the arrival order and the revisions', () => {
    const revised = fc.array(
      fc.record({
        id: fc.integer({ min: 0, max: 25 }),
        user: fc.constantFrom('u1', 'u2', 'u3'),
        minute: fc.integer({ min: 0, max: 600 }),
      }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(revised, fc.integer({ min: 1, max: 60 }), (rows, gap) => {
        const windows = engine(sessions(gap * MIN));
        // An id seen again is a revision: it may move in time and even to another user.
        const latest = new Map<string, Click>();
        for (const row of rows) {
          const c = click(`e${row.id}`, row.user, row.minute);
          windows.add(c);
          latest.set(c.id, c);
        }
        const clicks = [...latest.values()];
        const all = windows.closeUpTo(Number.POSITIVE_INFINITY);
        // Expected: sort each user's events by time and cut wherever the gap is gap or more.
        const expected: Seen[] = [];
        for (const user of ['u1', 'u2', 'u3']) {
          const mine = clicks
            .filter((c) => c.user === user)
            .sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
          let run: Click[] = [];
          const flush = () => {
            const first = run[0];
            const last = run[run.length - 1];
            if (first && last)
              expected.push([user, first.time, last.time + gap * MIN, run.map((c) => c.id)]);
            run = [];
          };
          for (const c of mine) {
            const last = run[run.length - 1];
            if (last && c.time - last.time >= gap * MIN) flush();
            run.push(c);
          }
          flush();
        }
        expected.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
        expect(all).toEqual(expected);
      }),
      runs(100),
    );
  });
});

describe('count windows', () => {
  /** The notebook's sliding_window_aggregation loop: range(0, len(events) - window_size + 1, slide). */
  function notebook(n: number, size: number, slide: number): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < n - size + 1; i += slide)
      out.push(Array.from({ length: size }, (_, k) => i + k));
    return out;
  }

  it('emits the notebook’s windows: 20 events every 10 over 100 events, full windows only', () => {
    const windows = new CountWindows<number, number[]>(20, 10, (_, events) => [...events]);
    const emitted = Array.from({ length: 100 }, (_, i) => windows.add(i)).filter((w) => w !== null);
    expect(emitted).toEqual(notebook(100, 20, 10));
    expect(emitted).toHaveLength(9);
  });

  it('matches the notebook’s loop for any size, slide and length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 30 }),
        (n, size, slide) => {
          const windows = new CountWindows<number, number[]>(size, slide, (first, events) => {
            expect(events[0]).toBe(first);
            return [...events];
          });
          const emitted = Array.from({ length: n }, (_, i) => windows.add(i)).filter(
            (w) => w !== null,
          );
          expect(emitted).toEqual(notebook(n, size, slide));
        },
      ),
      runs(100),
    );
  });

  it('rejects sizes that are not whole numbers above zero', () => {
    expect(() => new CountWindows(0, 1, () => 0)).toThrow(/size 0, slide 1/);
    expect(() => new CountWindows(2.5, 1, () => 0)).toThrow(/whole numbers/);
  });
});
