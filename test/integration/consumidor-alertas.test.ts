import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertFields, formatAlertBox } from '../../src/core/alert.ts';
import { formatLogEntry } from '../../src/core/alert-log.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import {
  brokers,
  committedOffsets,
  createTopic,
  produce,
  readAll,
  unique,
} from '../helpers/kafka.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { makeQuake } from '../helpers/quake.ts';
import { rejectedReasons, rejectedTotals } from '../helpers/rejects.ts';

const CONSUMER = 'bridge/consumidor_alertas.ts';
/** The line printed under each alert, naming the sinks it was written to. */
const SINK_LINE = /^ {2}(\S+) M\S+ → (.+)$/gm;

/** A consumer setup of its own: topics, group and log file nobody else uses. */
async function setup(threshold = '4.5') {
  const topic = unique('sismos');
  const alerts = unique('sismos-alertas');
  const dlq = unique('sismos-dlq');
  await Promise.all([createTopic(topic), createTopic(alerts), createTopic(dlq, 1)]);
  const logPath = join(mkdtempSync(join(tmpdir(), 'sismos-alertas-')), 'alertas.log');
  const env = {
    KAFKA_BROKERS: brokers(),
    SISMOS_TOPIC: topic,
    ALERTAS_TOPIC: alerts,
    DLQ_TOPIC: dlq,
    ALERTS_GROUP: unique('alertas'),
    ALERTAS_LOG: logPath,
    ALERT_THRESHOLD: threshold,
    KAFKA_SESSION_TIMEOUT_S: '6',
  };
  return {
    topic,
    alerts,
    dlq,
    logPath,
    env,
    start: (extra: Record<string, string> = {}) => startCommand(CONSUMER, { ...env, ...extra }),
  };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Ids of the entries of the log, in file order, read without the code under test. */
function loggedIds(path: string): string[] {
  return readLog(path)
    .split('\n')
    .filter((line) => line.startsWith('# alerta '))
    .map((line) => JSON.parse(line.slice('# alerta '.length)).id);
}

/** Every entry is whole: as many closed boxes as headers. */
function expectWholeEntries(path: string) {
  const lines = readLog(path).split('\n');
  expect(lines.filter((l) => l.startsWith('╚'))).toHaveLength(
    lines.filter((l) => l.startsWith('# alerta ')).length,
  );
}

function sinkLines(stdout: string): { id: string; sinks: string }[] {
  return [...stdout.matchAll(SINK_LINE)].map((m) => ({ id: m[1]!, sinks: m[2]! }));
}

async function stop(command: Command) {
  command.child.kill('SIGTERM');
  expect(await command.exited).toBe(0);
  expect(command.stdout()).toMatch(
    /^SIGTERM: left group \S+, offsets committed; \d+ alerts? this run\.$/m,
  );
}

function message(quake: Quake, partition?: number) {
  return {
    key: quake.id,
    value: encodeMessage(quake),
    ...(partition === undefined ? {} : { partition }),
  };
}

describe('consumidor_alertas (challenge 5)', () => {
  it('logs and publishes exactly the quakes at or above the threshold, each once, even when SIGKILLed mid-stream and restarted', async () => {
    const { topic, alerts, logPath, env, start } = await setup('2.5');
    const quakes = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
    await produce(
      topic,
      quakes.map((q) => message(q)),
    );
    const expected = quakes
      .filter((q) => q.mag !== null && q.mag >= 2.5)
      .map((q) => q.id)
      .sort();
    expect(expected).toHaveLength(294);

    const first = start();
    await first.waitFor((out) => sinkLines(out).length >= 20);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const afterKill = loggedIds(logPath);
    // The kill really came mid-stream.
    expect(afterKill.length).toBeLessThan(expected.length);

    const second = start();
    await second.waitFor(() => loggedIds(logPath).length >= expected.length);
    await stop(second);
    expect(second.stdout()).toMatch(
      new RegExp(`^${logPath.replace(/\./g, '\\.')}: ${afterKill.length} alerts? read back$`, 'm'),
    );

    expectWholeEntries(logPath);
    expect(loggedIds(logPath).sort()).toEqual(expected);
    const published = await readAll(alerts);
    expect(published.map((r) => r.key).sort()).toEqual(expected);
    for (const record of published) {
      expect(JSON.parse(record.value ?? '')).toEqual(
        JSON.parse(encodeMessage(quakes.find((q) => q.id === record.key)!)),
      );
    }
    // Offsets were committed up to at least the last alert of each partition.
    const alerted = new Set(expected);
    const lastAlert = new Map<number, number>();
    for (const r of await readAll(topic)) {
      if (alerted.has(r.key ?? '')) {
        lastAlert.set(r.partition, Math.max(lastAlert.get(r.partition) ?? -1, Number(r.offset)));
      }
    }
    const committed = await committedOffsets(env.ALERTS_GROUP, topic);
    for (const [partition, offset] of lastAlert) {
      expect(committed.get(partition)).toBeGreaterThan(offset);
    }
  });

  it('prints the boxed ALERTA SISMICA, alerts a revision that crosses the threshold once, and reports later revisions as updates', async () => {
    const { topic, alerts, logPath, start } = await setup();
    const t = Date.UTC(2024, 0, 15, 10, 30);
    const rising = makeQuake({ id: 'rising', mag: 4.2, time: t, updated: t });
    const falling = makeQuake({ id: 'falling', mag: 5.0, time: t, updated: t });
    const last = makeQuake({ id: 'last', mag: 6.1, time: t, updated: t, place: 'x'.repeat(80) });
    // One partition, so the records are handled in this order.
    await produce(topic, [
      message(rising, 0),
      message({ ...rising, mag: 4.7, updated: t + 60_000 }, 0),
      message(falling, 0),
      message({ ...rising, mag: 5.1, updated: t + 120_000 }, 0),
      message({ ...falling, mag: 4.2, updated: t + 60_000 }, 0),
      message(last, 0),
    ]);
    const consumer = start();
    await consumer.waitFor(/^ {2}last M6\.1 → /m);
    await stop(consumer);

    const out = consumer.stdout();
    expect(out).toContain(
      formatAlertBox(alertFields({ ...rising, mag: 4.7, updated: t + 60_000 })),
    );
    expect(out).toContain(formatAlertBox(alertFields(last)));
    expect(sinkLines(out).map((l) => l.id)).toEqual(['rising', 'falling', 'last']);
    expect(out).toMatch(
      /^update rising M4\.7 → M5\.1 \(revised 2024-01-15 10:32:00 UTC\): already alerted, no new alert$/m,
    );
    expect(out).toMatch(
      /^update falling M5\.0 → M4\.2 \(revised .*\): already alerted, no new alert$/m,
    );
    expect(loggedIds(logPath)).toEqual(['rising', 'falling', 'last']);
    const published = await readAll(alerts);
    expect(published.map((r) => r.key).sort()).toEqual(['falling', 'last', 'rising']);
    // The alert carries the version that crossed the threshold, readable as a challenge-4 message.
    expect(JSON.parse(published.find((r) => r.key === 'rising')?.value ?? '')).toMatchObject({
      id: 'rising',
      magnitud: 4.7,
    });
  });

  it('writes nothing twice when restarted, or replayed from the start by a new group', async () => {
    const { topic, alerts, logPath, start } = await setup();
    const quakes = parseFeedText(fixtureText('2018-06-12_4.5_week.geojson')).quakes;
    await produce(
      topic,
      quakes.map((q) => message(q)),
    );
    const first = start();
    await first.waitFor(() => loggedIds(logPath).length >= quakes.length);
    await stop(first);

    // Same group: continues after its commits, so it sees only the new quake.
    const late = makeQuake({ id: 'late', mag: 7, time: quakes[0]!.time });
    await produce(topic, [message(late)]);
    const again = start();
    await again.waitFor(/^ {2}late M7\.0 → /m);
    await stop(again);
    expect(again.stdout()).toMatch(/^read back \S+: 71 alerts already published$/m);

    // A new group replays every partition from the start; a new quake at the end of each
    // partition shows when the replay is through.
    const later = [0, 1, 2].map((p) =>
      makeQuake({ id: `later-${p}`, mag: 7, time: quakes[0]!.time }),
    );
    await produce(
      topic,
      later.map((q, p) => message(q, p)),
    );
    const replay = start({ ALERTS_GROUP: unique('replay') });
    await replay.waitFor((out) => sinkLines(out).length >= 3);
    await stop(replay);
    expect(replay.stdout()).toMatch(/^\S+: 72 alerts read back$/m);
    expect(replay.stdout()).toMatch(/^read back \S+: 72 alerts already published$/m);

    expect(sinkLines(again.stdout()).map((l) => l.id)).toEqual(['late']);
    expect(
      sinkLines(replay.stdout())
        .map((l) => l.id)
        .sort(),
    ).toEqual(['later-0', 'later-1', 'later-2']);
    const ids = [...quakes.map((q) => q.id), 'late', 'later-0', 'later-1', 'later-2'].sort();
    expectWholeEntries(logPath);
    expect(loggedIds(logPath).sort()).toEqual(ids);
    expect((await readAll(alerts)).map((r) => r.key).sort()).toEqual(ids);
  });

  it('repairs whichever sink missed an alert when a crash came between the log write and the publish', async () => {
    const { topic, alerts, logPath, start } = await setup();
    const loggedOnly = makeQuake({ id: 'logged-only', mag: 5.5 });
    const publishedOnly = makeQuake({ id: 'published-only', mag: 5.6 });
    // What a crash after the fsync, or after the publish of an earlier run with a lost log, leaves.
    writeFileSync(logPath, formatLogEntry(loggedOnly, Date.now()));
    await produce(alerts, [message(publishedOnly)]);
    await produce(topic, [message(loggedOnly, 0), message(publishedOnly, 0)]);

    const consumer = start();
    await consumer.waitFor(/^ {2}published-only M5\.6 → /m);
    await stop(consumer);

    expect(sinkLines(consumer.stdout())).toEqual([
      {
        id: 'logged-only',
        sinks: expect.stringMatching(
          new RegExp(`^${alerts} \\[\\d\\] @ \\d+ \\(.*alertas\\.log already had it\\)$`),
        ),
      },
      {
        id: 'published-only',
        sinks: expect.stringMatching(new RegExp(`alertas\\.log \\(${alerts} already had it\\)$`)),
      },
    ]);
    // The box is printed with the log entry it belongs to: once, for the quake the log lacked.
    expect(consumer.stdout().match(/ALERTA SISMICA/g)).toHaveLength(1);
    expectWholeEntries(logPath);
    expect(loggedIds(logPath)).toEqual(['logged-only', 'published-only']);
    expect((await readAll(alerts)).map((r) => r.key).sort()).toEqual([
      'logged-only',
      'published-only',
    ]);
  });

  it('skips poison records, summarises them by reason, copies them to the dead-letter topic, and still handles the next valid one', async () => {
    const { topic, alerts, dlq, logPath, env, start } = await setup();
    const before = makeQuake({ id: 'before', mag: 5 });
    const after = makeQuake({ id: 'after', mag: 6 });
    const poison = [
      { key: 'not-json', value: 'sismo fuerte!' },
      {
        key: 'wrong-schema',
        value: JSON.stringify({ ...JSON.parse(encodeMessage(before)), magnitud: '5.2' }),
      },
      { key: 'null-value', value: null },
      { key: 'not-utf8', value: Buffer.from([0xff, 0xfe, 0x7b]) },
      { key: 'huge', value: JSON.stringify({ id: 'huge', lugar: 'x'.repeat(100_000) }) },
    ];
    await produce(topic, [
      message(before, 0),
      ...poison.map((p) => ({ ...p, partition: 0 })),
      message(after, 0),
    ]);
    const consumer = start();
    await consumer.waitFor(/^ {2}after M6\.0 → /m);
    await stop(consumer);

    // The first is reported at once, the others summed up by reason when it stops.
    expect(rejectedReasons(consumer.stderr())).toEqual([
      {
        count: 1,
        reason: 'message is not JSON: string "sismo fuerte!"',
        first: `${topic} [0] @ 1 key=not-json`,
      },
      ...[
        'field "magnitud" must be a magnitude from -2 to 10.5 or null, got string "5.2"',
        'message has no value',
        'message is not UTF-8 text',
        expect.stringMatching(
          /^message of 100\d\d\d bytes is larger than the 65536 bytes a message may have$/,
        ),
      ].map((reason, i) => ({
        count: 1,
        reason,
        first: `${topic} [0] @ ${i + 2} key=${poison[i + 1]?.key}`,
      })),
    ]);
    expect(rejectedTotals(consumer.stderr())).toEqual([1, 4]);
    expect(loggedIds(logPath)).toEqual(['before', 'after']);
    expect((await readAll(alerts)).map((r) => r.key).sort()).toEqual(['after', 'before']);
    // The group is past every record: poison never stalls it.
    expect((await committedOffsets(env.ALERTS_GROUP, topic)).get(0)).toBe(7);

    const dead = await readAll(dlq);
    expect(dead.map((r) => r.key)).toEqual(poison.map((p) => p.key));
    dead.forEach((record, i) => {
      const original = poison[i]!.value;
      expect(record.bytes).toEqual(original === null ? null : Buffer.from(original));
      expect(record.headers['sismos-source']).toBe(`${topic}/0@${i + 1}`);
    });
    expect(dead.map((r) => r.headers['sismos-error']?.split(':')[0])).toEqual([
      'MESSAGE_NOT_JSON',
      'MESSAGE_BAD_FIELD',
      'MESSAGE_EMPTY',
      'MESSAGE_NOT_UTF8',
      'MESSAGE_TOO_LARGE',
    ]);
  });

  it('ends at once, in one line, when the broker refuses what it asks for instead of retrying forever', async () => {
    const { env, logPath } = await setup();
    // Kafka takes topic names of letters, digits, ".", "_" and "-" only.
    const consumer = startCommand(CONSUMER, { ...env, SISMOS_TOPIC: 'sismos con espacios' });
    expect(await consumer.exited).toBe(1);
    expect(consumer.stderr()).toMatch(
      new RegExp(
        `^consumidor_alertas: Kafka at ${env.KAFKA_BROKERS} failed: .*invalid topic.*\\n$`,
      ),
    );
    expect(loggedIds(logPath)).toEqual([]);
  });
});
