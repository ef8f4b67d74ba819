/**
 * productor_sismos against hostile feeds: the fake USGS serves the recorded day feed, then one
 * hostile version of it per poll (each kind once, and random ones from this run's seed), then the
 * recorded feed again. The producer must keep polling, explain each bad feed in one line, and
 * publish only valid quakes: exactly those the parser accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/core/message.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { fixtureJson, fixtureText } from '../helpers/fixtures.ts';
import { acceptedQuakes, hostileCases, randomHostileCases } from '../helpers/hostile-feed.ts';
import { brokers, createTopic, readAll, unique } from '../helpers/kafka.ts';
import { startCommand } from '../helpers/process.ts';
import { quakeProblems } from '../helpers/quake.ts';
import { printSeedOnFailure, TEST_SEED } from '../helpers/seed.ts';

const DAY_FEED = '2016-11-03_all_day.geojson';
const doc = fixtureJson(DAY_FEED);
const original = fixtureText(DAY_FEED);
/** Random hostile feeds per run, on top of one of each kind. */
const RANDOM_FEEDS = 8;

let usgs: FakeUsgs;
beforeAll(async () => {
  usgs = await startFakeUsgs();
});
afterAll(() => usgs.close());

describe('productor_sismos with hostile feeds', () => {
  it('keeps polling, explains each bad feed in one line and publishes only valid quakes', async () => {
    printSeedOnFailure();
    const random = randomHostileCases(doc, RANDOM_FEEDS, TEST_SEED);
    const cases = [...hostileCases(doc), ...random];
    const topic = unique('sismos');
    const path = `/${unique('feed')}/all_day.geojson`;
    await createTopic(topic);
    usgs.set(path, { body: original });
    usgs.queue(path, [{ body: original }, ...cases.map((c) => ({ body: c.text }))]);
    const producer = startCommand('bridge/productor_sismos.ts', {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: topic,
      USGS_FEED_URL: usgs.url(path),
      POLL_INTERVAL_S: '0.05',
      FETCH_TIMEOUT_S: '5',
      RETRY_FIRST_S: '0.01',
      RETRY_MAX_S: '0.05',
    });
    const polls = () => producer.stdout().match(/^poll \d+: /gm)?.length ?? 0;
    const failures = () => producer.stderr().match(/; retrying in \d+ ms$/gm)?.length ?? 0;
    // The recorded feed, every hostile one, and the recorded feed again: each poll ends in one line.
    await producer.waitFor(() => polls() + failures() >= cases.length + 2, 120_000);

    const verdicts = cases.map((c) => ({ ...c, quakes: acceptedQuakes(c.text) }));
    const refused = verdicts.filter((c) => c.quakes === null);
    expect(failures(), `refused: ${refused.map((c) => c.name).join('; ')}`).toBe(refused.length);
    const at = usgs.url(path).replace(/[.?]/g, '\\$&');
    for (const line of producer.stderr().trim().split('\n')) {
      expect(line).toMatch(
        new RegExp(
          `^USGS feed at ${at}(: \\d+ of \\d+ features skipped, the other \\d+ are published: .+| is not JSON \\(.+\\); retrying in \\d+ ms| is not a GeoJSON FeatureCollection \\(.+\\); retrying in \\d+ ms)$`,
        ),
      );
    }
    expect(producer.child.exitCode).toBeNull();
    producer.child.kill('SIGTERM');
    expect(await producer.exited).toBe(0);

    // Only valid quakes, each exactly one the parser accepted, each version once, and every
    // quake of the recorded feed.
    const accepted = new Set(
      [original, ...cases.map((c) => c.text)].flatMap((text) =>
        (acceptedQuakes(text) ?? []).map(encodeMessage),
      ),
    );
    const records = await readAll(topic);
    for (const record of records) {
      expect(quakeProblems(decodeMessage(record.value, Date.now())), record.key ?? '').toEqual([]);
      expect(accepted.has(record.value ?? ''), `${record.key} is a quake the parser accepted`).toBe(
        true,
      );
    }
    const versions = records.map((r) => `${r.key} ${decodeMessage(r.value, Date.now()).updated}`);
    expect(new Set(versions).size).toBe(versions.length);
    expect(new Set(records.map((r) => r.key))).toEqual(
      new Set([...accepted].map((m) => decodeMessage(m, Date.now()).id)),
    );
    expect(records.length).toBeGreaterThanOrEqual(doc.features.length);
  });
});
