/**
 * Figures of the benchmarks: medians and spreads of repeated measurements, ratios against a
 * baseline, targets, and the plain-text tables each benchmark prints.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The median of repeated measurements and their range. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

/** Each measurement over the baseline measured next to it (same run, same page or process). */
export function ratios(values: readonly number[], baselines: readonly number[]): number[] {
  if (values.length !== baselines.length) {
    throw new RangeError(`${values.length} values for ${baselines.length} baselines`);
  }
  return values.map((value, i) => value / (baselines[i] as number));
}

export interface Target {
  readonly op: '<=' | '>=' | '<';
  readonly value: number;
}

/** One published figure: a ratio (or a size) with its spread, held against its target. */
export interface Figure {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly summary: Summary;
  readonly target: Target | null;
  /** Whether the median meets the target; null when there is no target. */
  readonly met: boolean | null;
}

export function figure(
  id: string,
  label: string,
  unit: string,
  values: readonly number[],
  target: Target | null = null,
): Figure {
  const summary = summarize(values);
  return {
    id,
    label,
    unit,
    summary,
    target,
    met: target === null ? null : meets(summary.median, target),
  };
}

export function meets(value: number, { op, value: limit }: Target): boolean {
  if (op === '<=') return value <= limit;
  if (op === '>=') return value >= limit;
  return value < limit;
}

const OPS: Record<Target['op'], string> = { '<=': '≤', '>=': '≥', '<': '<' };

export function describeTarget(target: Target | null, unit: string): string {
  return target === null ? '—' : `${OPS[target.op]} ${format(target.value)}${unit}`;
}

/** "2.41× (2.20–2.77)": the median and the range of the runs. */
export function describeFigure({ summary, unit }: Figure): string {
  const { median: mid, min, max, runs } = summary;
  if (runs === 1 || min === max) return `${format(mid)}${unit}`;
  return `${format(mid)}${unit} (${format(min)}–${format(max)})`;
}

/** Three significant digits at most, never exponent notation. */
export function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toFixed(digits);
}

export interface Table {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A table as aligned plain text, for the terminal. */
export function renderTable({ title, headers, rows }: Table): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [
    title,
    line(headers),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/** The same table in Markdown, for docs/benchmarks.md. */
export function markdownTable({ headers, rows }: Table): string {
  const quote = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${headers.map(quote).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(quote).join(' | ')} |`),
  ].join('\n');
}

/** The figures of a benchmark as a table: what, result, target, met. */
export function figuresTable(title: string, figures: readonly Figure[]): Table {
  return {
    title,
    headers: ['figure', 'median (range)', 'target', 'met'],
    rows: figures.map((f) => [
      f.label,
      describeFigure(f),
      describeTarget(f.target, f.unit),
      f.met === null ? '—' : f.met ? 'yes' : 'NO',
    ]),
  };
}
