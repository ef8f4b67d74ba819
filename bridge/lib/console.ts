import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../src/core/time.ts';

/** Prints one error line to stderr and exits with `code`. */
export function fail(prefix: string, message: string, code = 1): never {
  console.error(`${prefix}: ${message}`);
  process.exit(code);
}

/**
 * Exits with `code` once everything printed so far has been written. Written to a pipe (`| tee`, a
 * test, a service manager), output is queued once the pipe is full, and `process.exit` alone would
 * drop the queue: a Ctrl+C'd command would lose the totals it printed last.
 */
export function exitWhenPrinted(code: number): void {
  process.exitCode = code;
  let streams = 2;
  const written = () => {
    if (--streams === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}

/** `text` with `stamp` and a space before each of its lines (a boxed alert or a table stays aligned). */
export function stampLines(text: string, stamp: string): string {
  return text
    .split('\n')
    .map((line) => `${stamp} ${line}`)
    .join('\n');
}

/** A delay for people: "250 ms", "5 s", "1.5 s", "5 min", "1 h". */
export function formatDuration(ms: number): string {
  if (ms < SECOND_MS) return `${Math.round(ms)} ms`;
  if (ms < MINUTE_MS) return `${Number((ms / SECOND_MS).toFixed(1))} s`;
  if (ms < HOUR_MS) return `${Number((ms / MINUTE_MS).toFixed(1))} min`;
  return `${Number((ms / HOUR_MS).toFixed(1))} h`;
}

/** Epoch ms as "2024-01-15 10:30:00 UTC", the way the boxed alert shows times. */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "1 poll", "3 polls". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
