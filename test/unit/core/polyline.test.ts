import { describe, expect, it } from 'vitest';
import {
  decodeLines,
  decodePolyline,
  encodeLines,
  encodePolyline,
} from '../../../src/core/polyline.ts';

describe('encodePolyline', () => {
  it("produces Google's documented example for (38.5,-120.2) (40.7,-120.95) (43.252,-126.453)", () => {
    expect(encodePolyline([38.5, -120.2, 40.7, -120.95, 43.252, -126.453], 1e5)).toBe(
      '_p~iF~ps|U_ulLnnqC_mqNvxq`@',
    );
  });

  it('round-trips coordinates to the chosen precision and drops repeated points', () => {
    const line = [-179.98, 65.02, -179.99, 65.01, 178.7, -16.4, 178.7, -16.4, 0, 0];
    expect(decodePolyline(encodePolyline(line, 20), 20)).toEqual([-180, 65, 178.7, -16.4, 0, 0]);
  });

  it('only uses printable characters that need no escaping in HTML', () => {
    const text = encodePolyline([-180, -85, 180, 85, 0.05, -0.05], 20);
    expect(text).toMatch(/^[?-~]+$/);
  });

  it('rejects an odd number of coordinates', () => {
    expect(() => encodePolyline([1, 2, 3], 10)).toThrow(/even number/);
  });
});

describe('decodePolyline', () => {
  it('names the position of a truncated or invalid text', () => {
    expect(() => decodePolyline('_p~iF~ps|', 1e5)).toThrow(/ends inside a number/);
    expect(() => decodePolyline('_p~iF ~ps|U', 1e5)).toThrow(/invalid character at 5/);
  });
});

describe('encodeLines / decodeLines', () => {
  it('keeps several lines apart', () => {
    const lines = [
      [0, 0, 1, 1],
      [10, 10, 11, 12, 13, 14],
    ];
    expect(decodeLines(encodeLines(lines, 10), 10)).toEqual(lines);
    expect(decodeLines('', 10)).toEqual([]);
  });
});
