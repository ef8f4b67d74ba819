import { type FrameRun, frameRun } from './ws-frame.ts';

/** The frames of the records relayed from seq `first` on. */
interface Run extends FrameRun {
  readonly first: number;
}

/**
 * The WebSocket frames of the records still in the relay log, encoded once for every client: the
 * records of one source batch (a Kafka fetch) are one run of frames in one buffer, so a client
 * without filters gets a stretch of it in one write of the same bytes, not a copy.
 */
export class FrameCache {
  /** Oldest first, by seq (see RelayLog). */
  #runs: Run[] = [];

  /** Frames the records of seq `first` on, whose frame texts are `texts`, as one run. */
  add(first: number, texts: readonly string[]): void {
    this.#runs.push({ first, ...frameRun(texts) });
  }

  /** Forgets the runs whose records all came before seq `oldest` (they left the relay log). */
  dropBefore(oldest: number): void {
    while (this.#runs.length > 0 && runEnd(this.#runs[0] as Run) <= oldest) this.#runs.shift();
  }

  /** The frame of record `seq`, if it was framed. */
  frame(seq: number): Buffer | undefined {
    const run = this.#runOf(seq);
    if (run === undefined) return undefined;
    const i = seq - run.first;
    return run.bytes.subarray(i === 0 ? 0 : (run.ends[i - 1] as number), run.ends[i] as number);
  }

  /**
   * The frames from record `seq` on within its run, as one stretch of the shared bytes: up to the
   * first frame that takes it past `room` bytes (always at least one), and the seq after the last
   * frame in it. Undefined when `seq` was not framed.
   */
  stretch(seq: number, room: number): { bytes: Buffer; next: number } | undefined {
    const run = this.#runOf(seq);
    if (run === undefined) return undefined;
    const start = seq === run.first ? 0 : (run.ends[seq - run.first - 1] as number);
    let last = seq - run.first;
    while (last + 1 < run.ends.length && (run.ends[last] as number) - start <= room) last++;
    return {
      bytes: run.bytes.subarray(start, run.ends[last] as number),
      next: run.first + last + 1,
    };
  }

  #runOf(seq: number): Run | undefined {
    const runs = this.#runs;
    let low = 0;
    let high = runs.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const run = runs[middle] as Run;
      if (seq < run.first) high = middle - 1;
      else if (seq >= runEnd(run)) low = middle + 1;
      else return run;
    }
    return undefined;
  }
}

function runEnd(run: Run): number {
  return run.first + run.ends.length;
}
