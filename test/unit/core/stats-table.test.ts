import { describe, expect, it } from 'vitest';
import { formatStatsTable } from '../../../src/core/stats-table.ts';

const T0 = Date.UTC(2024, 0, 15, 10, 0);
const FIVE_MIN = 5 * 60_000;

describe('the window table on the console', () => {
  it('prints the windows like Spark’s console sink, a window without magnitudes with NULL', () => {
    const table = formatStatsTable([
      {
        start: T0,
        end: T0 + FIVE_MIN,
        count: 3,
        withMagnitude: 3,
        avgMag: 13.4 / 3,
        maxMag: 5.1,
      },
      {
        start: T0 + FIVE_MIN,
        end: T0 + 2 * FIVE_MIN,
        count: 1,
        withMagnitude: 0,
        avgMag: null,
        maxMag: null,
      },
    ]);
    expect(table.split('\n')).toEqual([
      '+------------------------+------------------------+--------+------------+-----------------+---------------+',
      '|inicio                  |fin                     |cantidad|con_magnitud|magnitud_promedio|magnitud_maxima|',
      '+------------------------+------------------------+--------+------------+-----------------+---------------+',
      '|2024-01-15T10:00:00.000Z|2024-01-15T10:05:00.000Z|3       |3           |4.466666666666667|5.1            |',
      '|2024-01-15T10:05:00.000Z|2024-01-15T10:10:00.000Z|1       |0           |NULL             |NULL           |',
      '+------------------------+------------------------+--------+------------+-----------------+---------------+',
    ]);
  });

  it('widens a column for a longer value', () => {
    const [rule, header] = formatStatsTable([
      {
        start: T0,
        end: T0 + FIVE_MIN,
        count: 2,
        withMagnitude: 2,
        avgMag: -0.9149999999999999,
        maxMag: 1,
      },
    ]).split('\n');
    expect(header).toContain('|magnitud_promedio  |');
    expect(rule).toContain('+-------------------+');
  });

  it('prints 200,000 windows (two years of backlog in one batch) without overflowing the stack', () => {
    const windows = Array.from({ length: 200_000 }, (_, i) => ({
      start: T0 + i * FIVE_MIN,
      end: T0 + (i + 1) * FIVE_MIN,
      count: 1,
      withMagnitude: 1,
      avgMag: 2,
      maxMag: 2,
    }));
    expect(formatStatsTable(windows).split('\n')).toHaveLength(200_000 + 4);
  });
});
