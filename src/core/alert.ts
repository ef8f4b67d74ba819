import type { Quake } from './quake.ts';
import { printable } from './text.ts';

/** Challenge 5: a quake of magnitude 4.5 or more is an alert. */
export const DEFAULT_ALERT_THRESHOLD = 4.5;

export function isAlert(quake: Quake, threshold = DEFAULT_ALERT_THRESHOLD): boolean {
  return quake.mag !== null && quake.mag >= threshold;
}

interface AlertField {
  readonly label: string;
  readonly value: string;
}

/** The lines of the course's "ALERTA SISMICA" box, as label/value pairs (the console box and the page's alert card share them). */
export function alertFields(quake: Quake): AlertField[] {
  return [
    { label: 'Magnitud', value: quake.mag === null ? 'sin dato' : quake.mag.toFixed(1) },
    { label: 'Lugar', value: quake.place ?? 'desconocido' },
    {
      label: 'Hora',
      value: `${new Date(quake.time).toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    },
    { label: 'Coords', value: `(${quake.lat}, ${quake.lon})` },
    { label: 'Profundidad', value: quake.depth === null ? 'desconocida' : `${quake.depth} km` },
  ];
}

const TITLE = 'ALERTA SISMICA';
const MIN_INNER_WIDTH = 40;

/**
 * Draws the boxed alert of the course. Long values wrap inside the box (continuation lines are
 * indented under the value), so the right border always lines up; control characters are escaped.
 */
export function formatAlertBox(
  fields: readonly AlertField[],
  innerWidth = MIN_INNER_WIDTH,
): string {
  const width = Math.max(innerWidth, MIN_INNER_WIDTH);
  const rows = fields.flatMap(({ label, value }) =>
    wrapField(`${label}: `, printable(value), width - 2),
  );
  const line = (text: string) => `║ ${text}${' '.repeat(width - 2 - length(text))} ║`;
  const rule = '═'.repeat(width);
  return [
    `╔${rule}╗`,
    `║${' '.repeat(9)}${TITLE}${' '.repeat(width - 9 - TITLE.length)}║`,
    `╠${rule}╣`,
    ...rows.map(line),
    `╚${rule}╝`,
  ].join('\n');
}

function wrapField(prefix: string, value: string, width: number): string[] {
  const indent = ' '.repeat(prefix.length);
  // Words longer than a line are cut into line-sized pieces first.
  const words = value
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .flatMap((word) => pieces(word, width - indent.length));
  const rows: string[] = [];
  let row = prefix;
  let empty = true;
  for (const word of words) {
    const candidate = empty ? row + word : `${row} ${word}`;
    if (length(candidate) <= width) {
      row = candidate;
    } else {
      rows.push(row);
      row = indent + word;
    }
    empty = false;
  }
  rows.push(row);
  return rows;
}

function pieces(word: string, size: number): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** Width in terminal columns, counting code points (not UTF-16 units). */
function length(text: string): number {
  return Array.from(text).length;
}
