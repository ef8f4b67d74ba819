/**
 * Writes docs/benchmarks.md from bench/results.json: the machine, every figure against its
 * target, each benchmark's tables and notes, and how to reproduce the run.
 *
 *   npx tsx bench/report.ts      (npm run bench does it after the benchmarks)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchResult, type Results, readResults } from './lib/results.ts';
import {
  describeFigure,
  describeTarget,
  type Figure,
  figuresTable,
  markdownTable,
} from './lib/stats.ts';

export const REPORT_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** The benchmarks in the order of the issue, with what each measures and what limits it. */
const SECTIONS: readonly { id: string; script: string; about: string }[] = [
  {
    id: 'dashboard-ingest',
    script: 'bench/dashboard-ingest.ts',
    about: `The built \`index.html\`, opened from disk in headless Chromium (1440×900, no GPU), loads a
feed from a local server: the real recorded week (2,389 quakes) and a synthetic feed of 20,000
quakes made from it (new ids, positions moved by up to a degree, times by up to half an hour;
\`bench/lib/synthetic-feed.ts\`, fixed seed). The figure is the app's own measure
\`sismos:ingest\` (\`src/dashboard/probe/ingest-measure.ts\`): from the moment the fetched text reaches the
page until the next frame is rendered, that is parsing and diffing the feed, creating and
painting every marker, the list, every statistic and chart, and the style, layout and paint of
that frame; a feed's first data draws its side panel (statistics, charts, regions, the filters'
counts) and its alerts right after that frame, and the table gives that time on a row of its own
(\`sismos:after-frame\`). The wait for the display's next frame (up to 17 ms, idle time) is left out of the
figure; the table also gives the whole measure with it. Each run uses fresh browsers.

Where a 20,000-quake ingest spends its time (a CPU profile of the page): the parse step, about
1.6× JSON.parse (JSON.parse itself, checking 20,000 features into quakes, diffing them against the
store); stamping 20,000 dots on the canvas, about 100 ms, because headless Chromium without a GPU
draws in software; the list, the statistics and the charts, a few tens of ms; and collecting the
garbage the parse leaves (tens of megabytes of feed objects). What was tried for the dots: Leaflet
circle markers (about 15 µs each, replaced by QuakeCanvas), then a path per dot, one Path2D per
look and drawImage of a cached picture per look (the fastest of the three, kept), and blending the
pictures into an ImageData in JavaScript (no faster, dropped).

Where the real week's first ingest spent its time (issue 15; CPU profiles and traces of the page
through the DevTools protocol, an unminified build, 2026-12-01, on a machine shared with other
jobs, so shares rather than times): of about 140 ms of the page's work, parsing about a quarter
(JSON.parse about 12 ms, checking the 2,389 features about 9, the rest the store's diff and
garbage); painting the dots four times, about 33 ms: when they joined the map, when the first view
was fitted to them, and twice more because the status line of the first data ("Not updating ·
Generated … · refreshes every 2 minutes") wrapped onto a second line, so the header grew by 16 px
and the resized map fitted its view again; the statistics, charts, regions and alerts about 20 ms,
the list about 6; then, in the frame, layout about 12 ms, the map's resize 16 ms, and copying the
map's canvas (the map's size with half of it again on each side, drawn in software) 10 to 20 ms.
What changed: the status line has a row of its own, so the header keeps its height and the map is
not resized, and the first view is fitted before the dots join the map, so they are painted once
(an e2e test records the map's sizes). What is left: JSON.parse and the checks in a cold page
(code that has not run yet runs in V8's interpreter), painting the dots once, the side panel, and
the frame.

Then, later on 2026-12-01: the first data's side panel and its alerts are drawn right after the
frame that shows its map and list, and the body's data-* with them (e2e tests check the frame
order, and that a page that renders no frame, as a hidden tab, still gets them, after 250 ms);
the quake canvas reaches 10% beyond the view on each side (Leaflet's default) instead of 50%, so a
frame that repaints the dots copies 1.44 map areas of pixels instead of 4; the offline basemap
draws 512-pixel tiles, a third as many canvases for the compositor; checking a feature allocates
less, and the first view's extent sorts the longitudes natively. What is left of the week's first
ingest, in traces of the page (unminified build): parsing about 26 ms where JSON.parse of the text
takes 5 to 7: decoding the 2,389 features one by one (\`FeedReader\`) costs about what one
JSON.parse of the whole does in a fresh page (6 to 15 ms either way, whichever runs first pays
more), and checking them and diffing them against the store runs in V8's interpreter on first use
(a page that had read a 20-quake feed first still took 24 ms); the page update about 25
ms (the dots and the list); the frame 15 to 45 ms, of which layout about 10 and copying the
canvases for the compositor (the new view's basemap tiles and the dots) about 11. A frame that
changes one text costs about 3 ms in this Chromium whatever the page shows (the status line or a
KPI changed, with the map, the side panel or the list hidden in turn: 2.8 to 4.1 ms), most of an
unchanged re-poll of the week; 0.5× of JSON.parse in the page is 2.5 to 4 ms. Not done: drawing
the side panel after the frame on every poll, not only the first.

An unchanged re-poll (the same features, a new \`metadata.generated\`) parsed nothing and touched
no dot, but rewrote every statistic: the KPIs, the activity chart (its SVG bars rebuilt), the
window chart and the regions, 31 DOM mutations and a frame with the side panel's style, layout and
paint. Now only what differs is written: texts and attributes are compared first, the activity
chart keeps its bars, the window chart and the regions redraw only when their figures change, and
so do the body's data-* attributes; an e2e test sees no mutation in the statistics, charts and
list. What is left is the status line (the new generation time and age) and the frame showing it.

A poll that revises 1% of the quakes decoded and checked the whole feed again (1.2 to 1.5×
JSON.parse). \`FeedReader\` (\`src/core/feed-text.ts\`) cuts the features array where USGS's layout
separates two features and proves the cut: every piece decodes on its own as one JSON value, and
the document with 0, then 1, in place of the array decodes with that number as its features, so
the array is the value a full parse would use. A feature whose text is the same as in the last
poll (at the same position, or under the same id when features moved) keeps its quake; only the
others are decoded and checked, and a text that fails the proof is parsed whole, with its errors.
In Node on this machine a 1% revision of the 20,000 quakes reads in about 0.45× JSON.parse of it
(cutting about 6 ms, comparing 14 MB of feature text about 8 ms), of the week about 0.6×. The rest
of such a poll is the page: the list refilled every row in view (now a row that shows the same
quake in the same state is left alone; an e2e test sees no mutation in the list when a quake out
of view is revised), the map repaints the whole canvas (below zoom 4 a changed dot may join or
leave a cluster), and the statistics and the alerts go over every quake again.

Before and after (\`BENCH_RUNS=3 npx tsx bench/dashboard-ingest.ts\` on the code before these
changes and after them, run one after the other on 2026-12-01 at a load average of 9 to 11, with
other jobs' Kafka and Spark tests beside), the page's work, medians with the range of the runs: the
real week's first ingest 270 ms (211–271) → 206 ms (183–241), its render of the frame 88 → 54 ms;
its unchanged re-poll 25.3 ms (20.6–55.8) → 17.1 ms (15.2–20.9), of which the frame 19.7 → 12.5 ms;
its 1%-revising poll 83.5 ms (76.2–104) → 65.2 ms (37.5–68.6), of which the parse 27.4 → 5.1 ms.
The 20,000 quakes: first ingest 940 ms (694–1,257) → 755 ms (661–788); unchanged re-poll 34 → 46 ms
(within the noise); 1%-revising poll 261 → 256 ms, of which the parse 148 → 69 ms. The ratios
against JSON.parse moved less than their noise here, since the baselines themselves spread two- to
fivefold: week first ingest 17.4× → 18.7×, re-poll 1.98× → 1.40×, 1% revision 4.54× → 5.67×; 20,000
first ingest 3.32× → 3.19×, re-poll 0.29× → 0.30×, 1% revision 2.72× → 2.27×. Of the issue's
dashboard targets only the unchanged 20,000 re-poll (and no marker touched) is met: the week's
first ingest at 3× its first JSON.parse would leave the page about 40 ms, less than the frame that
shows the map takes alone in software (about 55 ms), and a revising poll at 0.5× leaves less than
the page's own update (about 20 ms for the week: the list, the canvas repaint, the statistics and
the alerts over every quake). A second pair of five runs each, at a load rising from 12 to 20,
moved the same way for the week (first ingest 612 → 273 ms, re-poll 48 → 27 ms, revising poll 175 →
54 ms, its parse 47 → 5.3 ms), while the 20,000 quakes' figures drowned in the load.`,
  },
  {
    id: 'dashboard-memory',
    script: 'bench/dashboard-memory.ts',
    about: `The dashboard polls a feed that changes at every poll, every 50 ms, for 500 polls; the
JS heap is weighed (after garbage collection) after 10, 250 and 500 polls.`,
  },
  {
    id: 'bridge-relay',
    script: 'bench/bridge-relay.ts',
    about: `\`bridge/server.ts\` in Kafka mode on a real local broker (the Maven Central jars of
\`scripts/kafka-local.ts\`), against a bare kafkajs consumer (\`eachBatch\`, nothing else) reading the
same 100,000 challenge-4 messages (real quakes with new ids). The messages are produced in one
Kafka transaction, so every reader (all read committed records only) sees them at once when it
commits; throughput is 100,000 ÷ (last record at the reader − commit), to a client of protocol 1
(a frame per record) and to one of protocol 2 (a batch frame per fetch, what the dashboard speaks).
Latency is measured with the bare consumer and a WebSocket client of the bridge per protocol
reading the same steady stream at the same time; each record's id carries its send time. With
100 clients the figure is bytes delivered per second against a bare \`ws\` server
(\`bench/lib/bare-broadcaster.ts\`) writing the bridge's own frames for the same messages, built
before its clock starts, to the same readers: the most the machine delivers to them. The readers
run in one process per core and look at one byte of each frame (they used to set the 100-client
figure themselves); a reader of protocol 2 reads each batch frame whole to count its quakes.

What limits the bridge with one client (its CPU profile, \`BENCH_CPU_PROF\`, runs of 2026-12-01 on a
machine shared by eight jobs, so shares rather than times): its process is busy throughout the
relay. Of its work, before the changes below, garbage collection took about a quarter (every record
is kept in the relay log for resuming clients, \`BRIDGE_BUFFER\`, so each one's message, quake, text
and cursor survive to the old generation); \`decodeMessage\` about a quarter, half of it JSON.parse
and half the checks of the fields (a record from Kafka is untrusted and never goes to a browser
unchecked; the ISO times were the dearest); kafkajs decoding the fetch about an eighth (all the bare
consumer does); framing and writing (the frame text with its cursor, its UTF-8 bytes, the socket)
about a fifth; keeping the record and building its cursor (one part per partition, nine here)
about a tenth. What was done: kafkajs fetches the next batch while the bridge works on the last one
(0.30× to about 0.45×); a validated message is framed as its text came instead of being encoded
again (a quarter of the work); each frame is built once and its bytes shared by every client. Then
(2026-12-01): protocol version 2, which the dashboard speaks (docs/protocol.md): the records of one
fetch go to a client as one batch frame with one cursor, written piece by piece from the messages'
texts and built once for the clients with the same filters; the relay log builds a record's cursor
only when a frame needs it (a batch frame, its last record's), from a checkpoint every 256 records,
instead of building and keeping one per record; message times in the form toISOString writes are
read digit by digit instead of through a regex and Date.parse. The bridge's CPU time over the relay
of the 100,000 records (from its profiles, the machine being too loaded that morning for wall-clock
ratios to settle: load averages of 10 to 40, the bare consumer between 30,000 and 118,000
records/s) went from 3.6 s (3.1–3.7, 3 runs, protocol 1 before) to 2.5 s (2.3–2.6) with protocol 2
and 2.3 s (2.0–2.5) with protocol 1, which the cursors and the times sped up as well; with one
client, batch frames save little CPU over one frame per record (their bytes are the messages', to
be written either way), but they save the cursor per record on the wire (a frame of protocol 2
carries half the bytes) and the browser's parse of a frame per record. What is left, in shares of
a protocol-2 relay: decodeMessage about 30% (JSON.parse half of it), garbage collection about 20%,
kafkajs about a tenth, framing and writing about a tenth, keeping the record under a tenth. Why
0.8× is out of reach for one Node thread: in the quiet run of 2026-11-23 the bare consumer took 8.8
µs a record (113,465 records/s) and the bridge 19.7; 0.8× would leave the bridge 2.2 µs a record
beyond what kafkajs does, less than reading and checking the untrusted message alone (about 5 µs);
a third less CPU would bring the bridge to about 14 µs, about 0.6×, for the next quiet run to
confirm. Checking in a worker thread would have to copy each checked quake back to the thread that keeps it,
at about the cost of parsing it.`,
  },
  {
    id: 'snapshot',
    script: 'bench/snapshot.ts',
    about: `The snapshot a new client of the bridge starts from, built by the bridge's own
\`SnapshotCache\` over a relay log of 20,000 quakes, against JSON.stringify of the same quakes.
Built once per (filters, relay head) and shared: the other clients at the same head get the same
bytes, written without a copy. Where its time went: encoding each quake again as a challenge-4
message (\`toMessage\`, two ISO dates, JSON.stringify), about 2.5× JSON.stringify; the quakes from
Kafka now go into it as the text they came as (validated when relayed, as record frames pass it
on), leaving joining the texts and converting them to UTF-8 bytes.`,
  },
  {
    id: 'producer',
    script: 'bench/producer.ts',
    about: `One poll of \`productor_sismos\` on the synthetic 20,000-quake feed, with the same library
calls in the same order, on the real broker: parse, sort the quakes by what is already published,
publish the new ones (idempotent, acks=all, in sends of at most 900 kB) and remember them. The
first poll publishes all 20,000; kafkajs encoding and the broker's acknowledgements take most of
it. Its throughput is held against a bare kafkajs producer with the same settings sending the same
messages, already encoded, in the same sends (every other run first, both after a warm-up that
compiles kafkajs's encoding): what the poll adds is parsing the feed (about 1.2× JSON.parse),
encoding the messages and collecting the parse's garbage, none of which the sends can overlap, as
they go one at a time to keep the records in order. Its CPU profile (2026-12-01): kafkajs
(partitioning by murmur2, record batches, CRC32C) and garbage collection take most of both. At
0.8× the poll would have to fit its parse (about 90 ms here) and its sends into 1.25 times the bare
producer's sends (about 450 ms). Tried on 2026-12-01 and not kept: making each send's messages
while the broker stores the previous send (a generator read one send at a time): five A/B runs
here gave 0.65× to 0.74× with it and 0.63× to 0.68× without, inside the runs' own ranges (0.49× to
0.95×).`,
  },
  {
    id: 'procesador-qog',
    script: 'bench/procesador-qog.ts',
    about: `The observatory's processor on 100,000 seeded events (the simulator at 10,000 per second
of event time) already in \`eventos_qog\`, writing to a local PostgreSQL 15, against a bare kafkajs
consumer of the same topic; each timed from its first batch to its last record. The target is the
issue's: to keep up with the simulator at 10,000 events/s.`,
  },
  {
    id: 'bundle',
    script: 'bench/bundle.ts',
    about: 'The committed `index.html`, checked to be the build of `src/` first.',
  },
];

function machineTable({ machine }: Results): string {
  return markdownTable({
    title: 'machine',
    headers: ['', ''],
    rows: [
      ['CPU', machine.cpu],
      ['cores', String(machine.cores)],
      ['memory', `${machine.memoryGiB} GiB`],
      ['OS', machine.os],
      ['Node', machine.node],
      ['Chromium', machine.chromium],
      ['Kafka', machine.kafka],
      ['Java', machine.java],
      [
        'packages',
        Object.entries(machine.packages)
          .map(([n, v]) => `${n} ${v}`)
          .join(', '),
      ],
    ],
  });
}

function summary(results: Results): string {
  const rows: string[][] = [];
  for (const { id } of SECTIONS) {
    for (const figure of results.benchmarks[id]?.figures ?? []) {
      if (figure.target === null) continue;
      rows.push([
        results.benchmarks[id]?.title ?? id,
        figure.label,
        describeFigure(figure),
        describeTarget(figure.target, figure.unit),
        met(figure),
      ]);
    }
  }
  return markdownTable({
    title: 'summary',
    headers: ['benchmark', 'figure', 'median (range of the runs)', 'target', 'met'],
    rows,
  });
}

function met(figure: Figure): string {
  return figure.met === null ? '—' : figure.met ? 'yes' : '**no**';
}

function section(
  id: string,
  script: string,
  about: string,
  result: BenchResult | undefined,
): string {
  if (result === undefined) return `## ${id}\n\nNot run (\`${script}\`).\n`;
  const figures = figuresTable('figures', result.figures);
  return [
    `## ${result.title}`,
    `\`${script}\`, ${result.ranAt.slice(0, 16).replace('T', ' ')} UTC, ${result.seconds} s; load average ${result.load[0]} before, ${result.load[1]} after.`,
    about,
    markdownTable({
      ...figures,
      rows: figures.rows.map((row) => row.map((cell) => (cell === 'NO' ? '**no**' : cell))),
    }),
    ...result.tables.map((table) => `${table.title}:\n\n${markdownTable(table)}`),
    result.notes.map((note) => `- ${note}`).join('\n'),
  ].join('\n\n');
}

export function writeReport(failed: readonly string[] = []): string {
  const results = readResults();
  if (results === null) throw new Error('bench/results.json is missing: run npm run bench');
  const runAt = Object.values(results.benchmarks)
    .map((b) => b.ranAt)
    .sort()
    .at(-1);
  const doc = `# Benchmarks

How fast the dashboard, the bridge and the producer are, measured by \`npm run bench\` (not part
of \`npm test\`: no test asserts a time). Every figure is a ratio against a baseline measured in
the same run on the same machine (JSON.parse of the same text in the same page or process, a bare
Kafka consumer on the same broker), because absolute times drift on shared machines. Each is the
median over several runs, with the range of the runs in brackets.

This page is written by \`npm run bench\` (\`bench/report.ts\`) from \`bench/results.json\`; the
latest run finished ${runAt?.slice(0, 16).replace('T', ' ') ?? '?'} UTC${failed.length > 0 ? `, and these benchmarks failed: ${failed.join(', ')}` : ''}.

## The machine

${machineTable(results)}

A shared virtual machine with two cores: other jobs ran beside the benchmarks (see the load
averages), the broker, the browser and the processes measured share the same two cores, and the
figures move by tens of percent from run to run. Chromium runs headless without a GPU, so canvas
drawing is done in software.

## Figures against their targets

${summary(results)}

${SECTIONS.map(({ id, script, about }) => section(id, script, about, results.benchmarks[id])).join('\n\n')}

## Reproducing

\`\`\`sh
npm ci
npm run bench                          # everything, about 15 minutes; writes bench/results.json and this page
BENCH_ONLY=bundle,producer npm run bench   # some benchmarks (the others keep their last results)
npx tsx bench/dashboard-ingest.ts      # one benchmark alone (then: npx tsx bench/report.ts)
\`\`\`

| variable | default | meaning |
| --- | --- | --- |
| \`BENCH_RUNS\` | 7 (ingest, snapshot, producer), 5 (relay), 3 (memory) | runs per benchmark |
| \`KAFKA_BROKERS\` | a throw-away local broker | use a running broker instead (as in the tests) |
| \`CHROMIUM_PATH\` | \`/usr/bin/chromium\` | the browser |
| \`BENCH_CLIENTS\` | \`1,100\` | relay: the numbers of WebSocket clients |
| \`BENCH_CPU_PROF\` | unset | relay: a directory where each bridge run writes a CPU profile (\`node --cpu-prof\`) |

The Kafka benchmarks need Java 17 and Maven once, as the tests do (the broker's jars are cached
in \`~/.cache/sismos\`); the browser benchmarks need Debian's Chromium.
`;
  writeFileSync(REPORT_FILE, doc);
  return REPORT_FILE;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  console.log(`wrote ${writeReport()}`);
