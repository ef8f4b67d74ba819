import { describe, expect, it } from 'vitest';
import {
  ALERT_MEMORY_LIMIT,
  alertRound,
  MAX_NOTIFICATIONS,
  readAlertMemory,
} from '../../../src/core/alert-memory.ts';
import { makeQuake } from '../../helpers/quake.ts';

const ids = (quakes: readonly { id: string }[]) => quakes.map((quake) => quake.id);

describe('readAlertMemory', () => {
  it('reads a stored list and treats anything else as an empty memory', () => {
    expect(readAlertMemory('["a","b"]')).toEqual(['a', 'b']);
    expect(readAlertMemory('["a",3,null]')).toEqual(['a']);
    expect(readAlertMemory(null)).toEqual([]);
    expect(readAlertMemory('{"a":1}')).toEqual([]);
    expect(readAlertMemory('not json')).toEqual([]);
  });
});

describe('alertRound', () => {
  const quakes = [
    makeQuake({ id: 'old', mag: 5, time: 1000 }),
    makeQuake({ id: 'small', mag: 4.4, time: 3000 }),
    makeQuake({ id: 'new', mag: 4.5, time: 2000 }),
    makeQuake({ id: 'seen', mag: 6, time: 4000 }),
    makeQuake({ id: 'none', mag: null, time: 5000 }),
  ];

  it('alerts quakes at or above the threshold not alerted before, newest first', () => {
    expect(ids(alertRound(quakes, 4.5, ['seen'], 0).alerts)).toEqual(['new', 'old']);
    expect(ids(alertRound(quakes, 6, [], 0).alerts)).toEqual(['seen']);
  });

  it('remembers what alerted after what the memory held, so it alerts once', () => {
    const first = alertRound(quakes, 4.5, ['elsewhere', 'seen'], 0);
    expect(first.memory).toEqual(['elsewhere', 'seen', 'new', 'old']);
    const again = alertRound(quakes, 4.5, first.memory, 0);
    expect(again.alerts).toEqual([]);
    expect(again.memory).toEqual(first.memory);
  });

  it('keeps only the newest ids in its memory', () => {
    const memory = Array.from({ length: ALERT_MEMORY_LIMIT }, (_, i) => `id${i}`);
    const round = alertRound(quakes, 4.5, memory, 0);
    expect(round.memory).toHaveLength(ALERT_MEMORY_LIMIT);
    expect(round.memory.slice(0, 2)).toEqual(['id3', 'id4']);
    expect(round.memory.slice(-3)).toEqual(['seen', 'new', 'old']);
  });

  it('notifies the newest few of an update', () => {
    const many = Array.from({ length: MAX_NOTIFICATIONS + 2 }, (_, i) =>
      makeQuake({ id: `q${i}`, mag: 5, time: i }),
    );
    const live = alertRound(many, 4.5, [], -1);
    expect(live.alerts).toHaveLength(MAX_NOTIFICATIONS + 2);
    expect(ids(live.notify)).toEqual(ids(live.alerts).slice(0, MAX_NOTIFICATIONS));
  });

  it('alerts only quakes after `since`, and remembers the older ones without alerting them', () => {
    const round = alertRound(quakes, 4.5, [], 1500);
    expect(ids(round.alerts)).toEqual(['seen', 'new']);
    expect(round.memory).toEqual(['seen', 'new', 'old']);
    expect(alertRound(quakes, 4.5, round.memory, 0).alerts).toEqual([]);
  });

  it('alerts nothing of a backlog (since null) and never alerts it later', () => {
    const backlog = alertRound(quakes, 4.5, [], null);
    expect(backlog.alerts).toEqual([]);
    expect(backlog.notify).toEqual([]);
    expect(alertRound(quakes, 4.5, backlog.memory, 0).alerts).toEqual([]);
  });
});
