import { describe, expect, it } from 'vitest';
import {
  decodeStatsMessage,
  encodeStatsMessage,
  toStatsMessage,
} from '../../../src/core/stats-message.ts';
import type { WindowStats } from '../../../src/core/window.ts';
import { catchError } from '../../helpers/catch.ts';

const window: WindowStats = {
  start: Date.UTC(2024, 0, 15, 10, 5),
  end: Date.UTC(2024, 0, 15, 10, 10),
  count: 3,
  withMagnitude: 2,
  avgMag: 4.5,
  maxMag: 5.1,
};

describe('the sismos-stats message', () => {
  it('writes the window with ISO times and Spanish field names', () => {
    expect(toStatsMessage(window)).toEqual({
      inicio: '2024-01-15T10:05:00.000Z',
      fin: '2024-01-15T10:10:00.000Z',
      cantidad: 3,
      con_magnitud: 2,
      magnitud_promedio: 4.5,
      magnitud_maxima: 5.1,
    });
  });

  it('reads back what it writes, including a window without magnitudes', () => {
    expect(decodeStatsMessage(encodeStatsMessage(window))).toEqual(window);
    const empty = { ...window, withMagnitude: 0, avgMag: null, maxMag: null };
    expect(decodeStatsMessage(encodeStatsMessage(empty))).toEqual(empty);
  });

  it.each([
    ['cantidad', -1, 'field "cantidad" must be a whole number >= 0, got number -1'],
    ['inicio', 'ayer', 'field "inicio" must be an ISO 8601 time, got string "ayer"'],
    ['magnitud_promedio', null, 'field "magnitud_promedio" must be a number, got null'],
  ])('names the field when %s is wrong', (field, value, message) => {
    const error = catchError(() =>
      decodeStatsMessage(JSON.stringify({ ...toStatsMessage(window), [field]: value })),
    );
    expect(error).toMatchObject({ code: 'MESSAGE_BAD_FIELD', field });
    expect((error as Error).message).toBe(message);
  });

  it('rejects text that is not JSON', () => {
    expect(catchError(() => decodeStatsMessage('{'))).toMatchObject({ code: 'MESSAGE_NOT_JSON' });
  });
});
