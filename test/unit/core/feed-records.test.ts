import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../../src/core/feed.ts';
import { feedRecords, recordSends, recordsPublished } from '../../../src/core/feed-records.ts';
import { SeenQuakes } from '../../../src/core/seen.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { makeQuake } from '../../helpers/quake.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 15, 12);
const feed = parseFeedText(fixtureText('2017-12-03_all_hour.geojson')).quakes;

describe('feedRecords and recordsPublished', () => {
  it('makes a record of every quake of a first feed, and remembers them only once published', () => {
    const seen = new SeenQuakes(HOUR);
    const records = feedRecords(seen, feed);
    expect(records.outgoing.map((q) => q.id)).toEqual(feed.map((q) => q.id));
    expect([records.fresh, records.revised, records.unchanged]).toEqual([feed.length, 0, 0]);
    // The sink failed: asking again makes the same records.
    expect(feedRecords(seen, feed).outgoing).toHaveLength(feed.length);

    recordsPublished(seen, records, T0);
    const again = feedRecords(seen, feed);
    expect(again.outgoing).toEqual([]);
    expect(again.unchanged).toBe(feed.length);
  });

  it('publishes new quakes first, then revisions, and never an older copy of a published quake', () => {
    const seen = new SeenQuakes(HOUR);
    recordsPublished(seen, feedRecords(seen, feed.slice(0, 4)), T0);
    const revision = { ...feed[1]!, updated: feed[1]!.updated + 60_000, mag: 4.9 };
    const stale = { ...feed[2]!, updated: feed[2]!.updated - 60_000 };
    const records = feedRecords(seen, [revision, stale, feed[0]!, ...feed.slice(4)]);
    expect(records.outgoing.map((q) => q.id)).toEqual([
      ...feed.slice(4).map((q) => q.id),
      revision.id,
    ]);
    expect(records.outgoing.at(-1)).toBe(revision);
    expect([records.fresh, records.revised, records.unchanged]).toEqual([feed.length - 4, 1, 2]);
  });

  it('keeps the ids still in the feed, and forgets those gone from it for a whole window', () => {
    const seen = new SeenQuakes(HOUR);
    const [a, b] = [makeQuake({ id: 'a' }), makeQuake({ id: 'b' })];
    recordsPublished(seen, feedRecords(seen, [a, b]), T0);
    // An hour and a minute later only `a` is still in the feed, and nothing is new.
    recordsPublished(seen, feedRecords(seen, [a]), T0 + HOUR - 60_000);
    recordsPublished(seen, feedRecords(seen, [a]), T0 + HOUR + 60_000);
    expect([seen.updatedOf('a'), seen.updatedOf('b')]).toEqual([a.updated, null]);
    // `b` comes back: it is new again, as after a restart that read nothing back.
    expect(feedRecords(seen, [a, b]).outgoing).toEqual([b]);
  });
});

describe('recordSends', () => {
  const seen = new SeenQuakes(HOUR);
  recordsPublished(seen, feedRecords(seen, feed.slice(0, 4)), T0);
  const revision = { ...feed[1]!, updated: feed[1]!.updated + 60_000, mag: 4.9 };
  const records = feedRecords(seen, [revision, ...feed.slice(4)]);
  const ids = (quakes: readonly { id: string }[]) => quakes.map((q) => q.id);

  it('sends first versions to sismos and revisions to the revisions topic, in that order', () => {
    expect(
      recordSends(records, 'sismos', 'sismos-revisiones').map((s) => [s.topic, ids(s.quakes)]),
    ).toEqual([
      ['sismos', ids(feed.slice(4))],
      ['sismos-revisiones', [revision.id]],
    ]);
  });

  it('sends everything to sismos in one send when the revisions topic is sismos itself', () => {
    expect(recordSends(records, 'sismos', 'sismos').map((s) => [s.topic, ids(s.quakes)])).toEqual([
      ['sismos', [...ids(feed.slice(4)), revision.id]],
    ]);
  });

  it('drops revisions when there is no revisions topic, and sends nothing for an unchanged feed', () => {
    expect(recordSends(records, 'sismos', null).map((s) => [s.topic, ids(s.quakes)])).toEqual([
      ['sismos', ids(feed.slice(4))],
    ]);
    const unchanged = feedRecords(seen, feed.slice(0, 4));
    expect(recordSends(unchanged, 'sismos', 'sismos')).toEqual([]);
    expect(recordSends(unchanged, 'sismos', 'sismos-revisiones')).toEqual([]);
  });
});
