import { CheckpointError } from './errors.ts';
import { isObject } from './guards.ts';
import { MINUTE_MS } from './time.ts';

/**
 * Resuming a window aggregation over a Kafka topic after a restart, without counting a quake twice
 * or counting a late one after all.
 *
 * A stats consumer commits, per partition, not the offset after its last record but the lowest
 * offset still feeding an open window (WindowAggregator.replayFrom), so a restart reads again
 * exactly the records it needs to rebuild the open windows. Those records were counted before, and
 * some between them belong to windows that have closed since (or were late): the commit's metadata
 * carries a checkpoint saying how far the partition was really handled and where the watermark was.
 * Records before that point are replays: they rebuild open windows and are never reported late.
 */
interface WindowCheckpoint {
  /** Window length the windows were counted with; a restart with another length cannot resume. */
  readonly windowMs: number;
  /** The watermark when committed (epoch ms): windows ending at or before it were final and published. */
  readonly watermark: number | null;
  /** One past the last record of the partition handled before the commit. */
  readonly next: string;
}

/** The checkpoint as commit metadata: small JSON (Kafka keeps up to 4 KiB by default). */
export function encodeCheckpoint(checkpoint: WindowCheckpoint): string {
  return JSON.stringify({
    window_ms: checkpoint.windowMs,
    watermark: checkpoint.watermark === null ? null : new Date(checkpoint.watermark).toISOString(),
    next: checkpoint.next,
  });
}

/** Reads commit metadata back; null when there is none or it is not a checkpoint (another program committed). */
export function decodeCheckpoint(metadata: string | null): WindowCheckpoint | null {
  if (metadata === null || metadata === '') return null;
  let doc: unknown;
  try {
    doc = JSON.parse(metadata);
  } catch {
    return null;
  }
  if (!isObject(doc)) return null;
  const { window_ms: windowMs, watermark, next } = doc;
  const time = typeof watermark === 'string' ? Date.parse(watermark) : Number.NaN;
  if (
    !(typeof windowMs === 'number' && windowMs > 0) ||
    !(watermark === null || Number.isFinite(time)) ||
    !(typeof next === 'string' && /^\d+$/.test(next))
  ) {
    return null;
  }
  return { windowMs, watermark: watermark === null ? null : time, next };
}

/** One partition of the group's committed state, read at start-up or after a rebalance. */
export interface CommittedPartition {
  readonly partition: number;
  /** The committed offset, or null when the group never committed this partition. */
  readonly offset: string | null;
  /** The commit's metadata, or null. */
  readonly metadata: string | null;
  /** The partition's oldest offset still kept, and one past its newest, now. */
  readonly low: string;
  readonly high: string;
}

/** An offset to commit with its checkpoint. */
interface CheckpointCommit {
  readonly partition: number;
  readonly offset: string;
  readonly metadata: string;
}

/** How one partition resumes. */
interface PartitionResume {
  readonly partition: number;
  /** Where reading starts: the committed offset (the earliest kept offset when there is none). */
  readonly from: string;
  /** Records from `from` up to here (exclusive) were handled before: they are replays. */
  readonly replayTo: string;
}

/**
 * The resume state of the partitions a consumer owns: where each starts, which records are replays,
 * whether the replay is over, and what to commit after a batch. Built from the committed offsets.
 */
export class WindowProgress {
  /** The watermark to resume with: the newest committed one, -Infinity when none. */
  readonly watermark: number;
  /** True when some partition had a checkpoint: this run resumes an earlier one. */
  readonly resumed: boolean;
  readonly partitions: readonly PartitionResume[];
  readonly #windowMs: number;
  readonly #replayTo = new Map<number, bigint>();
  /** One past the last record handled (or passed over) per partition. */
  readonly #next = new Map<number, bigint>();
  /** One past the newest record each partition held when last heard of. */
  readonly #high = new Map<number, bigint>();

  /** Throws CheckpointError when a checkpoint was written for windows of another length. */
  constructor(committed: readonly CommittedPartition[], windowMs: number) {
    this.#windowMs = windowMs;
    let watermark = Number.NEGATIVE_INFINITY;
    let resumed = false;
    const partitions: PartitionResume[] = [];
    for (const { partition, offset, metadata, low, high } of committed) {
      const checkpoint = decodeCheckpoint(metadata);
      if (checkpoint !== null) {
        if (checkpoint.windowMs !== windowMs) {
          throw new CheckpointError(
            'CHECKPOINT_WINDOW_MISMATCH',
            `the committed checkpoint counts ${minutes(checkpoint.windowMs)} windows, not ${minutes(windowMs)} ones`,
          );
        }
        resumed = true;
        if (checkpoint.watermark !== null) watermark = Math.max(watermark, checkpoint.watermark);
      }
      // Offsets outside what the partition keeps now (retention deleted them, or the topic was
      // recreated) are brought inside it.
      const within = (value: bigint) => bigMin(bigMax(value, BigInt(low)), BigInt(high));
      const from = within(offset === null || BigInt(offset) < 0 ? BigInt(low) : BigInt(offset));
      const replayTo = bigMax(from, within(BigInt(checkpoint?.next ?? from)));
      this.#next.set(partition, from);
      this.#high.set(partition, BigInt(high));
      this.#replayTo.set(partition, replayTo);
      partitions.push({ partition, from: from.toString(), replayTo: replayTo.toString() });
    }
    this.watermark = watermark;
    this.resumed = resumed;
    this.partitions = partitions;
  }

  /** True when the record was handled before the restart. */
  isReplay(partition: number, offset: string): boolean {
    const replayTo = this.#replayTo.get(partition);
    return replayTo !== undefined && BigInt(offset) < replayTo;
  }

  /**
   * Records that `offset` (a record, or the last offset of a batch) was handled, and, when known,
   * `high`: one past the newest record the partition holds now (a fetch's high watermark).
   */
  handled(partition: number, offset: string, high?: string): void {
    const next = BigInt(offset) + 1n;
    if (next > (this.#next.get(partition) ?? -1n)) this.#next.set(partition, next);
    if (high !== undefined && BigInt(high) > (this.#high.get(partition) ?? -1n)) {
      this.#high.set(partition, BigInt(high));
    }
  }

  /** The partitions with records still to read, as far as the last fetches told: they hold the watermark. */
  behind(): number[] {
    return [...this.#next]
      .filter(([partition, next]) => next < (this.#high.get(partition) ?? 0n))
      .map(([partition]) => partition);
  }

  /**
   * True until every partition has read up to where it was before the restart. Until then the open
   * windows are incomplete: their figures must not be published and the watermark must not move.
   */
  get replaying(): boolean {
    for (const [partition, replayTo] of this.#replayTo) {
      if ((this.#next.get(partition) ?? 0n) < replayTo) return true;
    }
    return false;
  }

  /**
   * What to commit for every partition: the lowest offset still feeding an open window (from
   * WindowAggregator.replayFrom) or else one past the last record handled, with the checkpoint.
   */
  commits(replayFrom: ReadonlyMap<number, string>, watermark: number): CheckpointCommit[] {
    return [...this.#next].map(([partition, next]) => ({
      partition,
      offset: replayFrom.get(partition) ?? next.toString(),
      metadata: encodeCheckpoint({
        windowMs: this.#windowMs,
        watermark: Number.isFinite(watermark) ? watermark : null,
        next: next.toString(),
      }),
    }));
  }
}

function minutes(ms: number): string {
  return `${ms / MINUTE_MS}-minute`;
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function bigMin(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
