import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../../src/core/feed.ts';
import { isEmptyChange, NO_CHANGE, QuakeStore } from '../../../src/core/store.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { makeQuake } from '../../helpers/quake.ts';

const ids = (quakes: readonly { id: string }[]) => quakes.map((q) => q.id);

describe('QuakeStore.applySnapshot', () => {
  it('adds every quake of the first snapshot', () => {
    const store = new QuakeStore();
    const { quakes } = parseFeedText(fixtureText('2016-11-03_all_day.geojson'));
    const change = store.applySnapshot(quakes);
    expect(change.added).toHaveLength(151);
    expect(change.revised).toEqual([]);
    expect(change.removed).toEqual([]);
    expect(store.size).toBe(151);
  });

  it('reports nothing for an unchanged feed and keeps the very same quake objects', () => {
    const store = new QuakeStore();
    const text = fixtureText('2016-11-03_all_day.geojson');
    store.applySnapshot(parseFeedText(text).quakes);
    const first = store.get('ci37517303');
    const change = store.applySnapshot(parseFeedText(text).quakes);
    expect(change).toBe(NO_CHANGE);
    expect(isEmptyChange(change)).toBe(true);
    expect(store.get('ci37517303')).toBe(first);
  });

  it('adds, revises (newer `updated` only) and removes by id', () => {
    const store = new QuakeStore();
    store.applySnapshot([
      makeQuake({ id: 'a', updated: 10 }),
      makeQuake({ id: 'b', updated: 10, mag: 3 }),
      makeQuake({ id: 'c', updated: 10 }),
    ]);
    const change = store.applySnapshot([
      makeQuake({ id: 'a', updated: 10 }),
      makeQuake({ id: 'b', updated: 20, mag: 3.4 }),
      makeQuake({ id: 'd', updated: 5 }),
    ]);
    expect(ids(change.added)).toEqual(['d']);
    expect(ids(change.revised)).toEqual(['b']);
    expect(change.revised[0]?.mag).toBe(3.4);
    expect(ids(change.removed)).toEqual(['c']);
    expect(ids([...store.values()]).sort()).toEqual(['a', 'b', 'd']);
  });

  it('keeps the newer version when a snapshot brings an older one back', () => {
    const store = new QuakeStore();
    store.applySnapshot([makeQuake({ id: 'a', updated: 20, mag: 5 })]);
    const change = store.applySnapshot([makeQuake({ id: 'a', updated: 10, mag: 4 })]);
    expect(isEmptyChange(change)).toBe(true);
    expect(store.get('a')?.mag).toBe(5);
  });
});

describe('QuakeStore.upsert and expire (a live source such as the bridge)', () => {
  it('adds a new quake, revises with a newer one, ignores an equal or older one', () => {
    const store = new QuakeStore();
    expect(ids(store.upsert([makeQuake({ id: 'a', updated: 10 })]).added)).toEqual(['a']);
    expect(ids(store.upsert([makeQuake({ id: 'a', updated: 11, mag: 5 })]).revised)).toEqual(['a']);
    expect(store.upsert([makeQuake({ id: 'a', updated: 11, mag: 6 })])).toBe(NO_CHANGE);
    expect(store.get('a')?.mag).toBe(5);
  });

  it('reports a batch of live quakes as one change', () => {
    const store = new QuakeStore();
    store.upsert([makeQuake({ id: 'a', updated: 10 }), makeQuake({ id: 'b', updated: 10 })]);
    const change = store.upsert([
      makeQuake({ id: 'a', updated: 20 }),
      makeQuake({ id: 'b', updated: 5 }),
      makeQuake({ id: 'c', updated: 1 }),
    ]);
    expect(ids(change.added)).toEqual(['c']);
    expect(ids(change.revised)).toEqual(['a']);
    expect(change.removed).toEqual([]);
  });

  it('expires the quakes older than a time, reporting the versions that left', () => {
    const store = new QuakeStore();
    store.applySnapshot([
      makeQuake({ id: 'old', time: 100, updated: 100 }),
      makeQuake({ id: 'edge', time: 200 }),
    ]);
    store.upsert([makeQuake({ id: 'old', time: 100, updated: 999, mag: 6 })]);
    store.upsert([makeQuake({ id: 'new', time: 300 })]);
    const change = store.expire(200);
    expect(ids(change.removed)).toEqual(['old']);
    expect(change.removed[0]?.mag).toBe(6);
    expect(change.added).toEqual([]);
    expect(ids([...store.values()])).toEqual(['edge', 'new']);
    expect(store.expire(200)).toBe(NO_CHANGE);
  });

  it('drops upserted quakes that the next snapshot no longer has', () => {
    const store = new QuakeStore();
    store.applySnapshot([makeQuake({ id: 'a' })]);
    store.upsert([makeQuake({ id: 'live' })]);
    expect(ids(store.applySnapshot([makeQuake({ id: 'a' })]).removed)).toEqual(['live']);
  });
});
