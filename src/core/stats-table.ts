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
  // A reduce, not Math.max(...): spreading thousands of rows into a call can overflow the stack.
  const widths = COLUMNS.map((column, i) =>
    rows.reduce((width, row) => Math.max(width, row[i]?.length ?? 0), column.length),
  );
  const rule = `+${widths.map((width) => '-'.repeat(width)).join('+')}+`;
  const line = (cells: readonly string[]) =>
    `|${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('|')}|`;
  return [rule, line(COLUMNS), rule, ...rows.map(line), rule].join('\n');
}
