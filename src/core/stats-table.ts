import { type StatsMessage, toStatsMessage } from './stats-message.ts';
import type { WindowStats } from './window.ts';

const COLUMNS = [
  'inicio',
  'fin',
  'cantidad',
  'con_magnitud',
  'magnitud_promedio',
  'magnitud_maxima',
] as const satisfies readonly (keyof StatsMessage)[];

/**
 * Windows as a table the way Spark's console sink prints them (`truncate` off): the `sismos-stats`
 * fields as columns, left-aligned, framed by +---+ rules, a missing average or maximum as NULL.
 */
export function formatStatsTable(windows: readonly WindowStats[]): string {
  const rows = windows.map((window) => {
    const message = toStatsMessage(window);
    return COLUMNS.map((column) => String(message[column] ?? 'NULL'));
  });
  const widths = COLUMNS.map((column, i) =>
    Math.max(column.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const rule = `+${widths.map((width) => '-'.repeat(width)).join('+')}+`;
  const line = (cells: readonly string[]) =>
    `|${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('|')}|`;
  return [rule, line(COLUMNS), rule, ...rows.map(line), rule].join('\n');
}
