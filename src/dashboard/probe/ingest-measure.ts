/**
 * Records how long an update took to reach the screen as the measure `sismos:ingest`: from its
 * text (or live frames) to the end of the next frame, which shows every marker and the list, and
 * the statistics too except for a feed's first data (they follow that frame: see `then`). The
 * detail numbers the update (as data-updates does) and splits the time into parsing (with the
 * store's diff), updating the page (markers painted included), waiting for the display's next
 * frame (up to 17 ms at 60 Hz; not work) and rendering that frame. It also runs the work that
 * waits for that frame, since it is the one that knows when the frame is rendered.
 * The benchmark reads it (bench/dashboard-ingest.ts, docs/benchmarks.md).
 */
const NAME = 'sismos:ingest';
/** The measure of the work that follows an update's frame (see shown's `then`). */
const THEN_NAME = 'sismos:after-frame';
/** `then` runs without waiting for a frame after this long: a hidden tab renders none. */
const THEN_LIMIT_MS = 250;

export interface IngestDetail {
  /** The update's number, as data-updates counts it. */
  readonly update: number;
  /** Quakes on the page after it. */
  readonly quakes: number;
  /** Whether it added, revised or removed a quake. */
  readonly changed: boolean;
}

export class IngestMeasure {
  /** performance.now() when the update being shown arrived, and when it was parsed and diffed. */
  #arrived = 0;
  #parsed = 0;
  /** Tells when the frame after an update is rendered. */
  readonly #frames = new MessageChannel();
  #frameWaiting = false;
  #frameStart = 0;
  #frameDone: (frameStart: number, end: number) => void = () => {};
  /** Work waiting for the frame, and the update it follows. */
  #then: (() => void)[] = [];
  #thenUpdate = 0;

  constructor() {
    this.#frames.port1.onmessage = () => {
      this.#frameWaiting = false;
      this.#frameDone(this.#frameStart, performance.now());
      this.#runThen();
    };
  }

  /** An update arrived; until parsed() it has nothing to parse (live frames come decoded). */
  arrived(): void {
    this.#arrived = this.#parsed = performance.now();
  }

  /** The update is parsed and diffed against the store. */
  parsed(): void {
    this.#parsed = performance.now();
  }

  /**
   * The page shows the update: the measure is recorded once the next frame is rendered. `then`
   * is work that can follow that frame (the first data's statistics): it runs right after it,
   * measured as sismos:after-frame, or after THEN_LIMIT_MS when no frame comes.
   */
  shown({ update, quakes, changed }: IngestDetail, then?: () => void): void {
    if (then !== undefined) {
      this.#then.push(then);
      this.#thenUpdate = update;
      setTimeout(() => this.#runThen(), THEN_LIMIT_MS);
    }
    const start = this.#arrived;
    const updated = performance.now();
    const detail = {
      update,
      quakes,
      changed,
      parseMs: this.#parsed - start,
      updateMs: updated - this.#parsed,
      waitMs: 0,
      frameMs: 0,
    };
    this.#frameDone = (frameStart, end) => {
      detail.waitMs = Math.max(0, frameStart - updated);
      detail.frameMs = end - Math.max(frameStart, updated);
      performance.clearMeasures(NAME);
      performance.measure(NAME, { start, end, detail });
    };
    if (this.#frameWaiting) return;
    this.#frameWaiting = true;
    // A message posted from requestAnimationFrame arrives once that frame is rendered.
    requestAnimationFrame(() => {
      this.#frameStart = performance.now();
      this.#frames.port2.postMessage(null);
    });
  }

  #runThen(): void {
    if (this.#then.length === 0) return;
    const start = performance.now();
    const work = this.#then;
    this.#then = [];
    for (const then of work) then();
    performance.clearMeasures(THEN_NAME);
    performance.measure(THEN_NAME, { start, detail: { update: this.#thenUpdate } });
  }
}
