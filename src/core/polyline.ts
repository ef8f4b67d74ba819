/**
 * Encoded polylines: the compact text form of Google's polyline algorithm (signed varint deltas in
 * printable ASCII 63..126). The dashboard inlines its world basemap this way.
 */

/** Separates the polylines of a multi-line text; never produced by the encoding itself. */
const LINE_SEPARATOR = ' ';

/**
 * Encodes a flat list of coordinates [x0, y0, x1, y1, ...] rounded to 1/`factor` units.
 * Consecutive points that round to the same position are dropped.
 */
export function encodePolyline(points: readonly number[], factor: number): string {
  if (points.length % 2 !== 0) {
    throw new RangeError(`a polyline needs an even number of coordinates, got ${points.length}`);
  }
  let out = '';
  let lastX = 0;
  let lastY = 0;
  for (let i = 0; i < points.length; i += 2) {
    const x = Math.round((points[i] as number) * factor);
    const y = Math.round((points[i + 1] as number) * factor);
    if (i > 0 && x === lastX && y === lastY) continue;
    out += encodeSigned(x - lastX) + encodeSigned(y - lastY);
    lastX = x;
    lastY = y;
  }
  return out;
}

/** Decodes `encodePolyline` output back into a flat list of coordinates. Throws on a truncated text. */
export function decodePolyline(text: string, factor: number): number[] {
  const points: number[] = [];
  let x = 0;
  let y = 0;
  let index = 0;
  const next = (): number => {
    let shift = 0;
    let value = 0;
    let byte: number;
    do {
      if (index >= text.length) throw new RangeError(`polyline ends inside a number at ${index}`);
      byte = text.charCodeAt(index++) - 63;
      if (byte < 0 || byte > 63) {
        throw new RangeError(`polyline has an invalid character at ${index - 1}`);
      }
      value |= (byte & 0x1f) << shift;
      shift += 5;
    } while (byte >= 0x20);
    return value & 1 ? ~(value >>> 1) : value >>> 1;
  };
  while (index < text.length) {
    x += next();
    y += next();
    points.push(x / factor, y / factor);
  }
  return points;
}

export function encodeLines(lines: readonly (readonly number[])[], factor: number): string {
  return lines.map((line) => encodePolyline(line, factor)).join(LINE_SEPARATOR);
}

export function decodeLines(text: string, factor: number): number[][] {
  if (text.length === 0) return [];
  return text.split(LINE_SEPARATOR).map((line) => decodePolyline(line, factor));
}

function encodeSigned(value: number): string {
  let rest = value < 0 ? ~(value << 1) : value << 1;
  let out = '';
  while (rest >= 0x20) {
    out += String.fromCharCode((0x20 | (rest & 0x1f)) + 63);
    rest >>>= 5;
  }
  return out + String.fromCharCode(rest + 63);
}
