import { describe, expect, it } from 'vitest';
import { alertFields, formatAlertBox, isAlert } from '../../../src/core/alert.ts';
import { makeQuake } from '../../helpers/quake.ts';

/** The seed's example: M5.2, 10km S of Tokyo, Japan. */
const tokyo = makeQuake();

describe('isAlert', () => {
  it('selects magnitude 4.5 and above by default, and never a quake without magnitude', () => {
    expect(isAlert({ ...tokyo, mag: 4.5 })).toBe(true);
    expect(isAlert({ ...tokyo, mag: 4.49 })).toBe(false);
    expect(isAlert({ ...tokyo, mag: null })).toBe(false);
    expect(isAlert({ ...tokyo, mag: 3 }, 2.5)).toBe(true);
  });
});

describe('formatAlertBox', () => {
  it('draws the seed example exactly, with the time in UTC', () => {
    expect(formatAlertBox(alertFields(tokyo))).toBe(
      [
        '╔════════════════════════════════════════╗',
        '║         ALERTA SISMICA                 ║',
        '╠════════════════════════════════════════╣',
        '║ Magnitud: 5.2                          ║',
        '║ Lugar: 10km S of Tokyo, Japan          ║',
        '║ Hora: 2024-01-15 10:30:00 UTC          ║',
        '║ Coords: (35.6, 139.7)                  ║',
        '║ Profundidad: 10.5 km                   ║',
        '╚════════════════════════════════════════╝',
      ].join('\n'),
    );
  });

  it('wraps a long place inside the box, indented under its value', () => {
    const place =
      'South Sandwich Islands region, far off the coast of somewhere remarkably distant';
    const box = formatAlertBox(alertFields({ ...tokyo, place })).split('\n');
    for (const line of box) expect(Array.from(line)).toHaveLength(42);
    const at = box.findIndex((line) => line.includes('Lugar:'));
    expect(box.slice(at, at + 3)).toEqual([
      '║ Lugar: South Sandwich Islands region,  ║',
      '║        far off the coast of somewhere  ║',
      '║        remarkably distant              ║',
    ]);
  });

  it('cuts a word longer than a line and escapes control characters', () => {
    const box = formatAlertBox(
      alertFields({ ...tokyo, place: `${'x'.repeat(70)}\u001b[31m` }),
    ).split('\n');
    for (const line of box) expect(Array.from(line)).toHaveLength(42);
    expect(box.join('\n')).not.toContain('\u001b');
    expect(box.join('\n')).toContain('\\u001b[31m');
  });

  it('says when magnitude, place or depth are unknown', () => {
    const text = formatAlertBox(alertFields({ ...tokyo, mag: null, place: null, depth: null }));
    expect(text).toContain('║ Magnitud: sin dato');
    expect(text).toContain('║ Lugar: desconocido');
    expect(text).toContain('║ Profundidad: desconocida');
  });
});
