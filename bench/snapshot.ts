/**
 * Benchmark 6, the snapshot a new client of the bridge starts from: SnapshotCache (the bridge's
 * own, bridge/lib/snapshot-cache.ts) over a relay log holding 20,000 quakes, against
 * JSON.stringify of the same quakes in the same process.
 *
 *   npx tsx bench/snapshot.ts      (BENCH_RUNS=7 by default)
 *
 * Per run: a first client asks (the snapshot is built), 99 more ask at the same relay head (they
 * must get the same bytes without a build), then one record arrives and a new client asks again.
 */
import { type SharedSnapshot, SnapshotCache } from '../bridge/lib/snapshot-cache.ts';
import { parseFeedText } from '../src/core/feed.ts';
import { encodeMessage } from '../src/core/message.ts';
import type { Filters } from '../src/core/protocol.ts';
import type { Quake } from '../src/core/quake.ts';
import { RelayLog } from '../src/core/relay-log.ts';
import { SYNTHETIC_QUAKES, syntheticText } from './lib/feeds.ts';
import { saveResult, timed } from './lib/results.ts';
import { figure, figuresTable, format, median, ratios, renderTable } from './lib/stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CLIENTS = 100;
const NO_FILTERS: Filters = { minMag: null, bbox: null };
const WEEK_MS = 7 * 24 * 3_600_000;

/** A relay log holding `quakes` as records of one partition, as the Kafka source appends them. */
function relayOf(quakes: readonly Quake[]): RelayLog {
  const relay = new RelayLog({
    epoch: 'bench',
    capacity: quakes.length + 10,
    windowMs: WEEK_MS,
    snapshotLimit: quakes.length,
  });
  relay.track('sismos:0', 0n);
  quakes.forEach((quake, i) => {
    relay.append({
      position: 'sismos:0',
      offset: BigInt(i),
      kind: 'quake',
      quake,
      window: null,
      text: encodeMessage(quake),
    });
  });
  return relay;
}

/** Milliseconds until the cache delivers the snapshot for a client without filters, and the snapshot. */
function ask(cache: SnapshotCache): Promise<{ ms: number; snapshot: SharedSnapshot }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    cache.get(NO_FILTERS, (snapshot) => {
      if (snapshot instanceof Error) reject(snapshot);
      else resolve({ ms: performance.now() - start, snapshot });
    });
  });
}

function stringify(quakes: readonly Quake[]): number {
  const start = performance.now();
  JSON.stringify(quakes);
  return performance.now() - start;
}

async function main(): Promise<void> {
  // The feed's quakes moved to the last day, so the snapshot window keeps every one of them.
  const feed = parseFeedText(syntheticText());
  const shift = Date.now() - (feed.metadata.generated ?? Date.now());
  const quakes = feed.quakes.map((q) => ({
    ...q,
    time: q.time + shift,
    updated: q.updated + shift,
  }));
  const kept = quakes;
  // The record that arrives after the first snapshots: a copy of a quake under a new id.
  const extra = quakes[0] as Quake;
  const result = await timed(async () => {
    const rows: {
      first: number;
      crowd: number;
      next: number;
      baseline: number;
      shared: boolean;
    }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const relay = relayOf(kept);
      const cache = new SnapshotCache(relay, (line) => console.log(line));
      const baseline = stringify(kept);
      const first = await ask(cache);
      const crowdStart = performance.now();
      const crowd = await Promise.all(Array.from({ length: CLIENTS - 1 }, () => ask(cache)));
      const crowdMs = performance.now() - crowdStart;
      const shared = crowd.every(({ snapshot }) => snapshot.tail === first.snapshot.tail);
      relay.append({
        position: 'sismos:0',
        offset: BigInt(kept.length),
        kind: 'quake',
        quake: { ...extra, id: `${extra.id}-new` },
        window: null,
        text: null,
      });
      const next = await ask(cache);
      if (next.snapshot.tail === first.snapshot.tail)
        throw new Error('a new record left the snapshot as it was');
      rows.push({ first: first.ms, crowd: crowdMs, next: next.ms, baseline, shared });
      console.log(
        `run ${run}/${RUNS}: first client ${format(first.ms)} ms, ${CLIENTS - 1} more ${format(crowdMs)} ms (${shared ? 'same bytes' : 'NOT the same bytes'}), after a new record ${format(next.ms)} ms; JSON.stringify ${format(baseline)} ms`,
      );
    }
    const ms = (values: number[]) => `${format(median(values))} ms`;
    const baselines = rows.map((r) => r.baseline);
    return {
      title: 'Snapshot for a new client (bridge/lib/snapshot-cache.ts)',
      figures: [
        figure(
          'snapshot-first',
          `snapshot of ${kept.length.toLocaleString('en')} quakes for a new client ÷ JSON.stringify of the same quakes`,
          '×',
          ratios(
            rows.map((r) => r.first),
            baselines,
          ),
          { op: '<=', value: 1.5 },
        ),
        figure(
          'snapshot-after-record',
          'the same after one new record (a new relay head) ÷ JSON.stringify',
          '×',
          ratios(
            rows.map((r) => r.next),
            baselines,
          ),
          { op: '<=', value: 1.5 },
        ),
        figure(
          'snapshot-crowd',
          `${CLIENTS - 1} more clients at the same head, all of them ÷ JSON.stringify`,
          '×',
          ratios(
            rows.map((r) => r.crowd),
            baselines,
          ),
        ),
      ],
      tables: [
        {
          title: `a snapshot of ${kept.length.toLocaleString('en')} quakes: medians of ${RUNS} runs`,
          headers: ['what', 'time'],
          rows: [
            ['the first client (the snapshot is built)', ms(rows.map((r) => r.first))],
            [`${CLIENTS - 1} more clients at the same relay head`, ms(rows.map((r) => r.crowd))],
            [
              'every one of them given the bytes of the first',
              rows.every((r) => r.shared) ? 'yes' : 'NO',
            ],
            ['a new client after one new record', ms(rows.map((r) => r.next))],
            ['JSON.stringify of the same quakes', ms(baselines)],
          ],
        },
      ],
      notes: [
        `The relay log holds ${kept.length.toLocaleString('en')} quakes of the synthetic feed (moved to the last day, so the window keeps them all), appended as the Kafka source appends them. The time is from the client's request to the delivery of the snapshot's bytes, including the turns of the event loop the build yields between slices (${SYNTHETIC_QUAKES.toLocaleString('en')} quakes make 20 of them).`,
        'JSON.stringify is of the Quake objects themselves: the least any encoding of them costs. The snapshot writes challenge-4 messages (ISO times, Spanish field names), as the protocol says.',
      ],
    };
  });
  for (const table of [...result.tables, figuresTable('Figures', result.figures)]) {
    console.log(`\n${renderTable(table)}`);
  }
  saveResult('snapshot', result);
}

await main();
