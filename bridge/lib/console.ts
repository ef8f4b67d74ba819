/** Prints one error line to stderr and exits with `code`. */
export function fail(prefix: string, message: string, code = 1): never {
  console.error(`${prefix}: ${message}`);
  process.exit(code);
}

/** A delay for people: "250 ms", "5 s", "1.5 s", "5 min", "1 h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}

/** Epoch ms as "2024-01-15 10:30:00 UTC", the way the boxed alert shows times. */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "1 poll", "3 polls". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
