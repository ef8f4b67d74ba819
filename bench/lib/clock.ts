/** Wall-clock time in milliseconds with sub-millisecond precision, comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Quake ids that carry the time they were sent, so a reader in another process can time them. */
export function latencyId(seq: number, sentAt: number): string {
  return `lat-${seq}-${Math.round(sentAt * 1000)}`;
}

/** The send time (ms) carried by a latencyId, or null. */
export function sentAtOf(id: string): number | null {
  const match = /^lat-\d+-(\d+)$/.exec(id);
  return match === null ? null : Number(match[1]) / 1000;
}
