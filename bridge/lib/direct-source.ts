import { isAlert } from '../../src/core/alert.ts';
import { FeedError } from '../../src/core/errors.ts';
import { feedRecords, recordsPublished } from '../../src/core/feed-records.ts';
import type { PollSchedule } from '../../src/core/poll-schedule.ts';
import type { StreamKind } from '../../src/core/protocol.ts';
import type { Quake } from '../../src/core/quake.ts';
import type { RelayLog, RelayRecord } from '../../src/core/relay-log.ts';
import { SeenQuakes } from '../../src/core/seen.ts';
import { WindowAggregator, type WindowSpec, type WindowStats } from '../../src/core/window.ts';
import { formatDuration, formatUtc } from './console.ts';
import type { FeedChoice } from './feed-choice.ts';
import { feedProblem, fetchFeed } from './fetch-feed.ts';
import { pollLoop } from './poll-loop.ts';

interface DirectSourceOptions {
  readonly feed: FeedChoice;
  readonly schedule: PollSchedule;
  readonly timeoutMs: number;
  readonly alertThreshold: number;
  readonly windows: WindowSpec;
  /** Position names ("topic:0") the records get, the same as in Kafka mode so cursors look alike. */
  readonly positions: Readonly<Record<StreamKind, string>>;
  readonly onRecord: (record: RelayRecord) => void;
  readonly onStatus: (ok: boolean, message: string) => void;
  readonly log: (line: string) => void;
}

interface DirectSource {
  health(): {
    feed: string;
    polls: number;
    failures: number;
    lastError: string | null;
    lastGenerated: number | null;
  };
  stop(): Promise<void>;
}

/**
 * Direct mode: the bridge polls USGS itself, once for every viewer, and makes the records the Kafka
 * pipeline would have made (new quakes and revisions, alerts once per id, 5-minute windows) with
 * the same core. Each kind of record is numbered in one synthetic partition.
 */
export function startDirectSource(relay: RelayLog, options: DirectSourceOptions): DirectSource {
  const { feed, positions, onRecord, onStatus, log } = options;
  for (const position of Object.values(positions)) relay.track(position, 0n);
  const next = new Map(Object.values(positions).map((position) => [position, 0n]));
  const emit = (kind: StreamKind, quake: Quake | null, window: WindowStats | null) => {
    const position = positions[kind];
    const offset = next.get(position) ?? 0n;
    next.set(position, offset + 1n);
    onRecord({ position, offset, kind, quake, window, text: null });
  };

  const published = new SeenQuakes(feed.windowMs);
  const alerted = new SeenQuakes(feed.windowMs);
  const windows = new WindowAggregator(options.windows);
  const stop = new AbortController();
  const health = {
    feed: feed.url,
    polls: 0,
    failures: 0,
    lastError: null as string | null,
    lastGenerated: null as number | null,
  };

  const poll = async (): Promise<void> => {
    const parsed = await fetchFeed(feed.url, options.timeoutMs, stop.signal);
    const now = Date.now();
    const records = feedRecords(published, parsed.quakes);
    const changedWindows = new Map<number, WindowStats>();
    for (const quake of records.outgoing) {
      emit('quake', quake, null);
      for (const window of windows.add(quake).updated) changedWindows.set(window.start, window);
      if (isAlert(quake, options.alertThreshold) && alerted.updatedOf(quake.id) === null) {
        emit('alert', quake, null);
        alerted.markSent(quake, now);
      }
    }
    windows.advanceWatermark();
    for (const window of [...changedWindows.values()].sort((a, b) => a.start - b.start))
      emit('stats', null, window);
    recordsPublished(published, records, now);
    alerted.forget(now);
    health.polls++;
    health.lastGenerated = parsed.metadata.generated;
    const generated =
      parsed.metadata.generated === null ? 'unknown' : formatUtc(parsed.metadata.generated);
    log(
      `bridge: ${feed.label}: ${records.fresh} new, ${records.revised} revised, ${records.unchanged} unchanged, ${parsed.rejects.length} rejected (generated ${generated})`,
    );
  };

  const running = pollLoop(options.schedule, stop.signal, poll, {
    onFailure: (error, next) => {
      health.failures++;
      const problem = error instanceof FeedError ? feedProblem(feed.url, error) : error.message;
      const message = `${problem}; retrying in ${formatDuration(next.delayMs)}`;
      health.lastError = message;
      log(`bridge: ${message}`);
      onStatus(false, message);
    },
    onRecovery: () => onStatus(true, `USGS feed at ${feed.url} answers again`),
  });

  return {
    health: () => ({ ...health }),
    stop: async () => {
      stop.abort(new Error('bridge stopping'));
      await running;
    },
  };
}
