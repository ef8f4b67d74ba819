import { expect } from 'vitest';
import { decodeStatsMessage } from '../../src/core/stats-message.ts';
import type { WindowStats } from '../../src/core/window.ts';
import { brokers, endOffsets, type Record } from './kafka.ts';
import type { Command } from './process.ts';

/** Per partition, the last offset estadisticas_sismos says it handled (in a batch or a replay). */
export function handledUpTo(stdout: string, topic: string): Map<number, number> {
  const handled = new Map<number, number>();
  const line = new RegExp(`^(?:Batch \\d+: |replayed )${topic} \\[(\\d+)\\] @ \\d+–(\\d+)`, 'gm');
  for (const [, partition, last] of stdout.matchAll(line)) {
    handled.set(Number(partition), Math.max(handled.get(Number(partition)) ?? -1, Number(last)));
  }
  return handled;
}

/** Waits until estadisticas_sismos has handled every record now in `topic`. */
export async function waitUntilHandled(
  service: Command,
  topic: string,
  at = brokers(),
  timeoutMs?: number,
): Promise<void> {
  const ends = await endOffsets(topic, at);
  await service.waitFor((out) => {
    const handled = handledUpTo(out, topic);
    return [...ends].every(([p, end]) => end === 0 || (handled.get(p) ?? -1) >= end - 1);
  }, timeoutMs);
}

/** The last value published for each window start: the window's figures once the stream is done. */
export function lastByKey(records: readonly Record[]): Map<string, WindowStats> {
  const windows = new Map<string, WindowStats>();
  for (const record of records) {
    const window = decodeStatsMessage(record.value ?? '');
    expect(record.key).toBe(new Date(window.start).toISOString());
    windows.set(record.key ?? '', window);
  }
  return windows;
}

/** Compares per key; averages are sums of doubles in another order, so they agree to rounding. */
export function expectWindows(
  actual: Map<string, WindowStats>,
  expected: readonly WindowStats[],
): void {
  expect([...actual.keys()].sort()).toEqual(expected.map((w) => new Date(w.start).toISOString()));
  for (const window of expected) {
    const got = actual.get(new Date(window.start).toISOString());
    expect(got).toMatchObject({
      ...window,
      avgMag: window.avgMag === null ? null : expect.any(Number),
    });
    if (window.avgMag !== null) expect(got?.avgMag).toBeCloseTo(window.avgMag, 9);
  }
}
