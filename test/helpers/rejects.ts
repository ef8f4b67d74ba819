/** One reason of a rejection summary a consumer printed: `  N × reason (first: where)`. */
export interface RejectedReason {
  readonly count: number;
  readonly reason: string;
  readonly first: string;
}

/** Every reason line of the rejection summaries in `output` (lines may carry a prefix such as "bridge: "). */
export function rejectedReasons(output: string): RejectedReason[] {
  return [...output.matchAll(/^(?:\S+: )? {2}(\d+) × (.*) \(first: (.*)\)$/gm)].map((m) => ({
    count: Number(m[1]),
    reason: m[2] as string,
    first: m[3] as string,
  }));
}

/** The headings of the rejection summaries in `output`, with the number of records each covers. */
export function rejectedTotals(output: string): number[] {
  return [...output.matchAll(/^(?:\S+: )?rejected (\d+) records? /gm)].map((m) => Number(m[1]));
}

/** Records rejected per reason, over all the summaries in `output`. */
export function rejectedByReason(output: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { count, reason } of rejectedReasons(output)) {
    counts.set(reason, (counts.get(reason) ?? 0) + count);
  }
  return counts;
}
