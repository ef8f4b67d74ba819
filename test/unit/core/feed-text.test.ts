import { describe, expect, it } from 'vitest';
import { generatedOf, sameFeatures } from '../../../src/core/feed-text.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

const text = fixtureText('2016-11-03_all_day.geojson');
const regenerated = text.replace(
  /"generated":(\d+)/,
  (_, ms) => `"generated":${Number(ms) + 60_000}`,
);

describe('sameFeatures', () => {
  it('is true for the same text and for a regenerated feed whose features did not change', () => {
    expect(regenerated).not.toBe(text);
    expect(sameFeatures(text, text)).toBe(true);
    expect(sameFeatures(text, regenerated)).toBe(true);
  });

  it('is false when any feature changed, or there is no previous text', () => {
    const revised = text.replace('"mag":1.09', '"mag":1.1');
    expect(revised).not.toBe(text);
    expect(sameFeatures(text, revised)).toBe(false);
    expect(sameFeatures(null, text)).toBe(false);
    expect(sameFeatures(text, '{"type":"FeatureCollection"}')).toBe(false);
  });
});

describe('generatedOf', () => {
  it('reads metadata.generated from the text before the features', () => {
    expect(generatedOf(text)).toBe(JSON.parse(text).metadata.generated);
    expect(generatedOf(regenerated)).toBe(JSON.parse(text).metadata.generated + 60_000);
    expect(generatedOf('{"features":[{"generated":5}]}')).toBeNull();
    // Past the year 9999 a number is no generation time (a Date cannot even hold this one).
    expect(generatedOf('{"metadata":{"generated":9999999999999999},"features":[]}')).toBeNull();
    expect(generatedOf('{"metadata":{"generated":253402300800000},"features":[]}')).toBeNull();
  });
});
