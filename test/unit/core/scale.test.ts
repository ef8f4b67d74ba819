import { describe, expect, it } from 'vitest';
import {
  DEPTH_CLASSES,
  depthColour,
  MAGNITUDE_CLASSES,
  magnitudeColour,
  magnitudeRadius,
  textColourOn,
  UNKNOWN_COLOUR,
} from '../../../src/core/scale.ts';

describe('magnitudeColour', () => {
  it('changes class exactly at the class bounds, 4.5 included in the warm classes', () => {
    expect(magnitudeColour(-0.5)).toBe(MAGNITUDE_CLASSES[0]?.colour);
    expect(magnitudeColour(0.99)).toBe(MAGNITUDE_CLASSES[0]?.colour);
    expect(magnitudeColour(1)).toBe(MAGNITUDE_CLASSES[1]?.colour);
    expect(magnitudeColour(4.49)).toBe(MAGNITUDE_CLASSES[2]?.colour);
    expect(magnitudeColour(4.5)).toBe(MAGNITUDE_CLASSES[3]?.colour);
    expect(magnitudeColour(9.1)).toBe(MAGNITUDE_CLASSES[5]?.colour);
    expect(magnitudeColour(null)).toBe(UNKNOWN_COLOUR);
  });

  it('uses distinct colours for every class, none of them the unknown grey', () => {
    for (const classes of [MAGNITUDE_CLASSES, DEPTH_CLASSES]) {
      const colours = classes.map((c) => c.colour);
      expect(new Set(colours).size).toBe(colours.length);
      expect(colours).not.toContain(UNKNOWN_COLOUR);
    }
  });
});

describe('depthColour', () => {
  it('puts negative depths (above sea level) with the shallow ones', () => {
    expect(depthColour(-1.2)).toBe(depthColour(10));
    expect(depthColour(70)).toBe(DEPTH_CLASSES[2]?.colour);
    expect(depthColour(650)).toBe(DEPTH_CLASSES[5]?.colour);
    expect(depthColour(null)).toBe(UNKNOWN_COLOUR);
  });
});

describe('magnitudeRadius', () => {
  it('grows with magnitude, from 2 px for unknown or non-positive magnitudes', () => {
    expect(magnitudeRadius(null)).toBe(2);
    expect(magnitudeRadius(-1)).toBe(2);
    const radii = [0, 1, 2.5, 4.5, 6, 7, 8].map(magnitudeRadius);
    for (let i = 1; i < radii.length; i++) expect(radii[i]).toBeGreaterThan(radii[i - 1] as number);
    expect(magnitudeRadius(4.5)).toBeCloseTo(12.575);
    expect(magnitudeRadius(12)).toBe(magnitudeRadius(9.5));
  });
});

describe('textColourOn', () => {
  it('picks black on light colours and white on dark ones', () => {
    expect(textColourOn('#fdae61')).toBe('#000000');
    expect(textColourOn('#abd9e9')).toBe('#000000');
    expect(textColourOn('#a50026')).toBe('#ffffff');
    expect(textColourOn('#4575b4')).toBe('#ffffff');
  });
});
