import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../../src/core/feed.ts';
import { activity, binFor, MAX_BINS, summarize, topRegions } from '../../../src/core/stats.ts';
import { HOUR_MS } from '../../../src/core/time.ts';
import { fixtureJson, fixtureText } from '../../helpers/fixtures.ts';
import { makeQuake } from '../../helpers/quake.ts';

interface RawFeature {
  properties: { mag: number | null; time: number; tsunami: number | null };
}

describe('summarize', () => {
  it('matches values computed straight from the raw feed', () => {
    const name = '2023-04-07_all_week.geojson';
    const raw = fixtureJson(name);
    const features: RawFeature[] = raw.features;
    const generated: number = raw.metadata.generated;
    const mags = features.map((f) => f.properties.mag).filter((m): m is number => m !== null);
    const summary = summarize(parseFeedText(fixtureText(name)).quakes, generated);
    expect(summary.count).toBe(features.length);
    expect(summary.withMag).toBe(mags.length);
    expect(summary.strongest?.mag).toBe(Math.max(...mags));
    expect(summary.meanMag).toBeCloseTo(mags.reduce((a, b) => a + b, 0) / mags.length, 10);
    expect(summary.significant).toBe(mags.filter((m) => m >= 4.5).length);
    expect(summary.tsunami).toBe(features.filter((f) => f.properties.tsunami === 1).length);
    expect(summary.lastHour).toBe(
      features.filter((f) => f.properties.time > generated - HOUR_MS).length,
    );
  });

  it('has no maximum or mean without magnitudes', () => {
    const summary = summarize([makeQuake({ mag: null })], 0);
    expect(summary).toMatchObject({ count: 1, withMag: 0, strongest: null, meanMag: null });
  });
});

describe('activity', () => {
  it('picks a bar width from the span: 5 min, hourly, 6-hourly, daily', () => {
    expect(binFor(HOUR_MS)).toBe(5 * 60_000);
    expect(binFor(24 * HOUR_MS)).toBe(HOUR_MS);
    expect(binFor(7 * 24 * HOUR_MS)).toBe(6 * HOUR_MS);
    expect(binFor(30 * 24 * HOUR_MS)).toBe(24 * HOUR_MS);
  });

  it('counts quakes per hour over the day before the reference, with each bar’s largest magnitude', () => {
    const reference = Date.UTC(2016, 10, 3, 18, 0);
    const result = activity(
      [
        makeQuake({ time: reference, mag: 2 }),
        makeQuake({ time: reference - 1, mag: 3 }),
        makeQuake({ time: reference - 30 * 60_000, mag: null }),
        makeQuake({ time: reference - 23.5 * HOUR_MS, mag: 1 }),
        makeQuake({ time: reference - 25 * HOUR_MS, mag: 7 }),
      ],
      reference,
      24 * HOUR_MS,
    );
    expect(result.counts).toHaveLength(24);
    expect(result.start).toBe(reference - 24 * HOUR_MS);
    expect(result.counts[23]).toBe(3);
    expect(result.maxMag[23]).toBe(3);
    expect(result.counts[0]).toBe(1);
    expect(result.counts.reduce((a, b) => a + b, 0)).toBe(4);
  });
});

describe('activity over a span reaching far back', () => {
  const reference = Date.UTC(2023, 3, 7, 12, 0);
  const week = [
    makeQuake({ id: 'now', time: reference - HOUR_MS, mag: 4 }),
    makeQuake({ id: 'week', time: reference - 6 * 24 * HOUR_MS, mag: 2 }),
  ];

  it.each([
    ['a quake of 1900 among a week of quakes', Date.UTC(1900, 0, 1)],
    ['a quake of the year 0000', -62_167_219_200_000],
  ])('never has more than MAX_BINS bars, for %s', (_label, time) => {
    // A feed whose period is unknown spans from its oldest quake to the reference time.
    const quakes = [...week, makeQuake({ id: 'old', time, mag: 6 })];
    const result = activity(quakes, reference, reference - time);
    expect(result.counts.length).toBeLessThanOrEqual(MAX_BINS);
    expect(result.counts.length).toBeGreaterThan(MAX_BINS / 2);
    expect(result.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(result.counts[0]).toBe(1);
    expect(result.maxMag[0]).toBe(6);
    expect(result.start).toBeLessThanOrEqual(time);
    expect(result.start + result.counts.length * result.binMs).toBe(reference);
    expect(result.binMs % (24 * HOUR_MS)).toBe(0);
  });

  it('keeps daily bars up to MAX_BINS days, then widens them by whole days', () => {
    const day = 24 * HOUR_MS;
    expect(binFor(MAX_BINS * day)).toBe(day);
    expect(binFor(MAX_BINS * day + 1)).toBe(2 * day);
    for (const span of [MAX_BINS * day + 1, 365 * day, 124 * 365 * day, 9999 * day]) {
      expect(activity([], reference, span).counts.length).toBeLessThanOrEqual(MAX_BINS);
    }
  });
});

describe('topRegions', () => {
  it('ranks regions by count, then by strongest quake', () => {
    const quakes = [
      makeQuake({ place: '5 km N of Anza, CA', mag: 1 }),
      makeQuake({ place: '3 km S of Ridgecrest, California', mag: 2 }),
      makeQuake({ place: '10 km S of Tokyo, Japan', mag: 5 }),
      makeQuake({ place: '12 km E of Hilo, Hawaii', mag: 3 }),
      makeQuake({ place: null }),
    ];
    expect(topRegions(quakes, 2)).toEqual([
      { region: 'California', count: 2, maxMag: 2 },
      { region: 'Japan', count: 1, maxMag: 5 },
    ]);
  });
});
