import { MessageError } from './errors.ts';
import { readMessage } from './message.ts';
import type { Quake } from './quake.ts';
import { WindowAggregator, type WindowSpec, type WindowStats } from './window.ts';
import { type CommittedPartition, WindowProgress } from './window-checkpoint.ts';

/** A record of a batch as the counter reads it: where it is, and its value. */
export interface CountedRecord {
  readonly offset: string;
  readonly value: Uint8Array | null;
}

/** What counting one batch of one partition did. */
export interface CountedBatch {
  /** Records the previous run had counted, counted again to rebuild the open windows. */
  readonly replayed: number;
  /** Records that are not a quake message (a replayed one was reported by the previous run). */
  readonly unreadable: readonly { readonly offset: string; readonly error: MessageError }[];
  /** Quakes of windows already closed: left out (a replayed one was reported by the previous run). */
  readonly late: readonly { readonly offset: string; readonly quake: Quake }[];
  /**
   * The watermark the batch was counted against: it moves only after a batch, to the newest event
   * time less the lateness, held back by every partition that has records still to read.
   */
  readonly watermark: number;
  /**
   * True while some partition is not back where the previous run stopped: the open windows are
   * incomplete, so the watermark stays and nothing may be published or committed yet.
   */
  readonly replaying: boolean;
  /** True for the batch that ended the replay. */
  readonly replayDone: boolean;
  /** The windows the watermark closed after this batch, now final (none while replaying). */
  readonly closed: readonly WindowStats[];
}

/**
 * estadisticas_sismos's rule, batch by batch: each record of `sismos` into its event-time windows
 * (a revision replaces its earlier version), the watermark moved after each batch, the changed
 * windows to publish, and the offsets and checkpoints to commit. Built from what the group
 * committed, and built anew after a rebalance or a failed publish or commit, like a restart: the
 * records the previous run counted are replayed silently, so nothing is counted or reported twice.
 */
export class WindowCounter {
  readonly windows: WindowAggregator;
  readonly progress: WindowProgress;
  /** Windows whose figures changed since they were last published. */
  readonly #changed = new Map<number, WindowStats>();

  /** Throws CheckpointError when the commits were counted with windows of another length. */
  constructor(spec: WindowSpec, committed: readonly CommittedPartition[]) {
    this.progress = new WindowProgress(committed, spec.sizeMs);
    this.windows = new WindowAggregator(spec, this.progress.watermark);
  }

  /**
   * Counts the records of one batch of `partition`, read at `now`, whose last offset is `lastOffset`;
   * `high` is one past the newest record the partition holds (the fetch's high watermark), so a
   * partition with more to read holds the watermark back.
   * `read` turns a record into its quake (a shell that decoded Avro records passes what it decoded).
   */
  count(
    partition: number,
    records: readonly CountedRecord[],
    lastOffset: string,
    high: string,
    now: number,
    read: (record: CountedRecord) => Quake | MessageError = ({ value }) => readMessage(value, now),
  ): CountedBatch {
    const { windows, progress } = this;
    const watermark = windows.watermark;
    const wasReplaying = progress.replaying;
    let replayed = 0;
    const unreadable: { offset: string; error: MessageError }[] = [];
    const late: { offset: string; quake: Quake }[] = [];
    for (const record of records) {
      const { offset } = record;
      const replay = progress.isReplay(partition, offset);
      if (replay) replayed++;
      const quake = read(record);
      if (quake instanceof MessageError) {
        if (!replay) unreadable.push({ offset, error: quake });
      } else {
        const position = { partition, offset };
        const added = replay ? windows.replay(quake, position) : windows.add(quake, position);
        for (const window of added.updated) this.#changed.set(window.start, window);
        if (added.late && !replay) late.push({ offset, quake });
      }
      progress.handled(partition, offset);
    }
    progress.handled(partition, lastOffset, high);
    const replaying = progress.replaying;
    const closed = replaying ? [] : windows.advanceWatermark(progress.behind());
    const replayDone = wasReplaying && !replaying;
    return { replayed, unreadable, late, watermark, replaying, replayDone, closed };
  }

  /** The windows to publish: those whose figures changed since last published, oldest first. */
  updates(): WindowStats[] {
    return [...this.#changed.values()].sort((a, b) => a.start - b.start);
  }

  /** The updates were published. */
  published(): void {
    this.#changed.clear();
  }

  /** What to commit for every partition: the oldest offset still feeding an open window, and the checkpoint. */
  commits(): { partition: number; offset: string; metadata: string }[] {
    return this.progress.commits(this.windows.replayFrom(), this.windows.watermark);
  }
}
