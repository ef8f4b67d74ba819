import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticText } from '../../bench/lib/feeds.ts';
import { freePort } from '../../scripts/kafka-local.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, fixtureJson, fixtureText, revised } from '../helpers/fixtures.ts';
import { brokers, createTopic, readAll, unique } from '../helpers/kafka.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { MESSAGE_FIELDS } from '../helpers/quake.ts';

const PRODUCER = 'bridge/productor_sismos.ts';
const HOUR_FEED = '2017-12-03_all_hour.geojson';
const raw = fixtureJson(HOUR_FEED);
// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON
const features: any[] = raw.features;

let usgs: FakeUsgs;
beforeAll(async () => {
  usgs = await startFakeUsgs();
});
afterAll(() => usgs.close());

/** A producer on its own topics, polling its own path of the fake USGS every 200 ms. */
async function setup(body: string) {
  const topic = unique('sismos');
  const revisions = unique('sismos-revisiones');
  const path = `/${unique('feed')}/all_hour.geojson`;
  usgs.set(path, { body });
  await Promise.all([createTopic(topic), createTopic(revisions)]);
  const env = {
    KAFKA_BROKERS: brokers(),
    SISMOS_TOPIC: topic,
    REVISIONS_TOPIC: revisions,
    USGS_FEED_URL: usgs.url(path),
    POLL_INTERVAL_S: '0.2',
    FETCH_TIMEOUT_S: '1',
    RETRY_FIRST_S: '0.1',
    RETRY_MAX_S: '0.4',
  };
  return { topic, revisions, path, env, start: () => startCommand(PRODUCER, env) };
}

/** A poll line with these counts (any poll number, any generation time). */
function poll(counts: string): RegExp {
  return new RegExp(`^poll \\d+: ${counts}; feed generated 2017-12-03 23:15:50 UTC$`, 'm');
}

async function stop(command: Command, signal: 'SIGINT' | 'SIGTERM' = 'SIGTERM') {
  command.child.kill(signal);
  expect(await command.exited).toBe(0);
  expect(command.stdout()).toMatch(
    new RegExp(`^${signal}: stopped polling after \\d+ polls?; \\d+ records? published`, 'm'),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON
function expectedMessage(feature: any) {
  const p = feature.properties;
  const [lon, lat, depth] = feature.geometry.coordinates;
  return {
    id: feature.id,
    magnitud: p.mag,
    lugar: p.place,
    latitud: lat,
    longitud: lon,
    profundidad_km: depth,
    timestamp: new Date(p.time).toISOString(),
    tsunami: p.tsunami === 1,
    actualizado: new Date(p.updated).toISOString(),
    tipo_magnitud: p.magType,
    tipo_evento: p.type,
    estado: p.status,
    url: p.url,
  };
}

describe('productor_sismos (challenge 4)', () => {
  it("publishes exactly the feed's valid quakes, once each, keyed by id, with the exact message schema", async () => {
    const broken = [
      { ...features[0], id: 'bad-longitude', geometry: { type: 'Point', coordinates: [200, 0] } },
      { type: 'Feature', properties: {}, geometry: null },
    ];
    const { topic, start } = await setup(feedText(HOUR_FEED, [...features, ...broken]));
    const producer = start();
    await producer.waitFor(poll('8 new, 0 revised, 0 unchanged, 2 rejected'));
    // The next polls see the same feed and publish nothing more.
    await producer.waitFor(poll('0 new, 0 revised, 8 unchanged, 2 rejected'));
    await stop(producer);

    // The reasons are printed once, not at every poll of the same half-valid feed.
    expect(producer.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(
        /^USGS feed at http:\S+: 2 of 10 features skipped, the other 8 are published: #8 \(bad-longitude\) longitude must be a number in \[-180, 180\], got number 200; #9 id must be a non-empty string, got missing$/,
      ),
    ]);
    const records = await readAll(topic);
    expect(records.map((r) => r.key).sort()).toEqual(features.map((f) => f.id).sort());
    for (const record of records) {
      const value = JSON.parse(record.value ?? '');
      expect(Object.keys(value)).toEqual(MESSAGE_FIELDS);
      expect(value).toEqual(expectedMessage(features.find((f) => f.id === record.key)));
    }
  });

  it('publishes a 20,000-quake feed in several sends, each quake once and in feed order within its partition', async () => {
    // About 9 MB of messages: a dozen sends of at most 900 kB (a broker refuses a batch over 1 MiB).
    const text = syntheticText();
    const ids: string[] = JSON.parse(text).features.map((f: { id: string }) => f.id);
    const { topic, start } = await setup(text);
    const producer = start();
    await producer.waitFor(/^poll \d+: 20000 new, 0 revised, 0 unchanged, 0 rejected;/m, 120_000);
    await stop(producer);
    const records = await readAll(topic);
    expect(records.map((r) => r.key).sort()).toEqual([...ids].sort());
    const place = new Map(ids.map((id, i) => [id, i]));
    const partitions = new Set(records.map((r) => r.partition));
    expect(partitions.size).toBe(3);
    for (const partition of partitions) {
      const order = records
        .filter((r) => r.partition === partition)
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((r) => place.get(r.key ?? '') as number);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  }, 180_000);

  it('publishes the new quakes of an overlapping second feed to sismos, and its revisions to sismos-revisiones', async () => {
    const { topic, revisions, path, start } = await setup(
      feedText(HOUR_FEED, features.slice(0, 6)),
    );
    const producer = start();
    await producer.waitFor(poll('6 new, 0 revised, 0 unchanged, 0 rejected'));
    expect(producer.stdout()).toContain(`into topic ${topic} (revisions to ${revisions})`);
    const revision = revised(features[4], 5.1);
    usgs.set(path, {
      body: feedText(HOUR_FEED, [features[3], revision, ...features.slice(5, 8)]),
    });
    await producer.waitFor(poll('2 new, 1 revised, 2 unchanged, 0 rejected'));
    await producer.waitFor(poll('0 new, 0 revised, 5 unchanged, 0 rejected'));
    await stop(producer);

    // The course's contract: one record per quake in sismos, its first version.
    const records = await readAll(topic);
    expect(records.map((r) => r.key).sort()).toEqual(
      features
        .slice(0, 8)
        .map((f) => f.id)
        .sort(),
    );
    expect(JSON.parse(records.find((r) => r.key === features[4].id)?.value ?? '')).toEqual(
      expectedMessage(features[4]),
    );
    const later = await readAll(revisions);
    expect(later.map((r) => [r.key, JSON.parse(r.value ?? '')])).toEqual([
      [features[4].id, expectedMessage(revision)],
    ]);
  });

  it('with REVISIONS_TOPIC=sismos, publishes a revision to sismos as a new record with the same key (the old behaviour)', async () => {
    const { topic, revisions, path, env } = await setup(feedText(HOUR_FEED, features.slice(0, 6)));
    const producer = startCommand(PRODUCER, { ...env, REVISIONS_TOPIC: topic });
    await producer.waitFor(poll('6 new, 0 revised, 0 unchanged, 0 rejected'));
    expect(producer.stdout()).toContain(`into topic ${topic} (revisions to ${topic} too)`);
    const revision = revised(features[4], 5.1);
    usgs.set(path, {
      body: feedText(HOUR_FEED, [features[3], revision, ...features.slice(5, 8)]),
    });
    await producer.waitFor(poll('2 new, 1 revised, 2 unchanged, 0 rejected'));
    await producer.waitFor(poll('0 new, 0 revised, 5 unchanged, 0 rejected'));
    await stop(producer);

    const records = await readAll(topic);
    expect(records).toHaveLength(9);
    const versions = records
      .filter((r) => r.key === features[4].id)
      .sort((a, b) => Number(a.offset) - Number(b.offset))
      .map((r) => JSON.parse(r.value ?? ''));
    // A revision is a new record with the same key, so it lands after the first in its partition.
    expect(versions).toEqual([expectedMessage(features[4]), expectedMessage(revision)]);
    for (const feature of features.filter((f) => f.id !== features[4].id)) {
      expect(records.filter((r) => r.key === feature.id)).toHaveLength(1);
    }
    expect(await readAll(revisions)).toEqual([]);
  });

  it('with REVISIONS_TOPIC empty, publishes each quake once to sismos and drops its revisions, saying so', async () => {
    const { topic, path, env } = await setup(feedText(HOUR_FEED, features.slice(0, 6)));
    const producer = startCommand(PRODUCER, { ...env, REVISIONS_TOPIC: '' });
    await producer.waitFor(poll('6 new, 0 revised, 0 unchanged, 0 rejected'));
    expect(producer.stdout()).toContain(
      `into topic ${topic} (revisions dropped: REVISIONS_TOPIC is empty)`,
    );
    usgs.set(path, {
      body: feedText(HOUR_FEED, [revised(features[4], 5.1), ...features.slice(5, 8)]),
    });
    await producer.waitFor(
      poll('2 new, 1 revised \\(dropped: REVISIONS_TOPIC is empty\\), 1 unchanged, 0 rejected'),
    );
    await producer.waitFor(poll('0 new, 0 revised, 4 unchanged, 0 rejected'));
    await stop(producer);

    const records = await readAll(topic);
    expect(records.map((r) => r.key).sort()).toEqual(
      features
        .slice(0, 8)
        .map((f) => f.id)
        .sort(),
    );
    expect(JSON.parse(records.find((r) => r.key === features[4].id)?.value ?? '').magnitud).toBe(
      features[4].properties.mag,
    );
  });

  it('republishes nothing after a restart, and still publishes a later revision once', async () => {
    const { topic, revisions, path, start } = await setup(fixtureText(HOUR_FEED));
    const first = start();
    await first.waitFor(poll('8 new, 0 revised, 0 unchanged, 0 rejected'));
    await stop(first, 'SIGTERM');
    expect(first.stdout()).toMatch(/; 8 records published this run; disconnected\.$/m);

    const second = start();
    const readBack = (records: number) =>
      new RegExp(
        `^read back ${topic} and ${revisions} from the last 2 h: ${records} records, 8 quakes already published$`,
        'm',
      );
    await second.waitFor(readBack(8));
    await second.waitFor(poll('0 new, 0 revised, 8 unchanged, 0 rejected'));
    usgs.set(path, {
      body: feedText(HOUR_FEED, [revised(features[2], 3.3), ...features.slice(3)]),
    });
    await second.waitFor(poll('0 new, 1 revised, 5 unchanged, 0 rejected'));
    await stop(second, 'SIGINT');
    expect(second.stdout()).toMatch(/; 1 record published this run; disconnected\.$/m);
    expect(second.stdout()).not.toMatch(/^poll \d+: [1-9]\d* new/m);

    // The revision is read back from its own topic: a third run publishes nothing again.
    const third = start();
    await third.waitFor(readBack(9));
    await third.waitFor(poll('0 new, 0 revised, 6 unchanged, 0 rejected'));
    await stop(third, 'SIGINT');
    expect(third.stdout()).toMatch(/; 0 records published this run; disconnected\.$/m);

    expect(await readAll(topic)).toHaveLength(8);
    expect((await readAll(revisions)).map((r) => r.key)).toEqual([features[2].id]);
  });

  it('survives HTTP 500, a garbage body, a non-collection, a hanging response and a 404, and resumes when the feed recovers', async () => {
    const { topic, path, start } = await setup('');
    const url = usgs.url(path);
    const at = url.replace(/[.?]/g, '\\$&');
    usgs.set(path, { status: 500, body: 'Internal error' });
    const producer = start();
    await producer.waitForStderr(
      new RegExp(
        `^USGS feed at ${at} returned HTTP 500 Internal Server Error; retrying in \\d+ ms$`,
        'm',
      ),
    );
    usgs.set(path, { body: '<html>Service Unavailable</html>' });
    await producer.waitForStderr(
      new RegExp(
        `^USGS feed at ${at} is not JSON \\(Unexpected token .*\\); retrying in \\d+ ms$`,
        'm',
      ),
    );
    usgs.set(path, { body: '{"type":"Feature","features":[]}' });
    await producer.waitForStderr(
      new RegExp(
        `^USGS feed at ${at} is not a GeoJSON FeatureCollection \\(got type "Feature"\\); retrying in \\d+ ms$`,
        'm',
      ),
    );
    usgs.set(path, { hang: true });
    await producer.waitForStderr(
      new RegExp(`^USGS feed at ${at} did not answer within 1 s; retrying in \\d+ ms$`, 'm'),
    );
    usgs.set(path, { status: 404, body: 'not found' });
    await producer.waitForStderr(
      new RegExp(
        `^USGS feed at ${at} returned HTTP 404 Not Found; check the feed name or URL \\(USGS_FEED, USGS_FEED_URL\\); retrying in \\d+ ms$`,
        'm',
      ),
    );
    expect(producer.stdout()).not.toMatch(/^poll /m);

    usgs.set(path, { body: fixtureText(HOUR_FEED) });
    await producer.waitFor(poll('8 new, 0 revised, 0 unchanged, 0 rejected'));
    await stop(producer);
    // Every problem was one line naming the feed, the problem and the retry.
    for (const line of producer.stderr().trim().split('\n')) {
      expect(line).toMatch(new RegExp(`^USGS feed at ${at} .+; retrying in \\d+ ms$`));
    }
    expect(await readAll(topic)).toHaveLength(8);
  });

  it('keeps running while USGS is unreachable, saying so in one line per try', async () => {
    const { env } = await setup('');
    const url = `http://127.0.0.1:${await freePort()}/summary/all_hour.geojson`;
    const producer = startCommand(PRODUCER, { ...env, USGS_FEED_URL: url });
    const line = new RegExp(
      `^USGS feed at ${url.replace(/\./g, '\\.')} is unreachable \\(.*ECONNREFUSED.*\\); retrying in \\d+ ms$`,
      'm',
    );
    await producer.waitForStderr(line);
    // The delay doubles after each failure in a row, up to RETRY_MAX_S.
    await producer.waitForStderr(/retrying in 400 ms$/m);
    expect(
      producer
        .stderr()
        .trim()
        .split('\n')
        .map((l) => /retrying in (\d+) ms$/.exec(l)?.[1]),
    ).toEqual(expect.arrayContaining(['100', '200', '400']));
    await stop(producer, 'SIGINT');
  });
});
