import type { MessageError } from '../../src/core/errors.ts';
import { RejectSummary } from '../../src/core/reject-summary.ts';
import { printable } from '../../src/core/text.ts';

export interface RejectReport {
  /** Counts a rejected record; `where` names it (topic, partition, offset, key). */
  add(error: MessageError, where: string): void;
  /** Writes the summary if one is due: call after each batch or record. */
  check(): void;
  /** Writes what is left and stops the timer, when the consumer stops. */
  end(): void;
}

/**
 * Reports a consumer's rejected records as a RejectSummary on `write` (one call per summary):
 * the first at once, then at most every interval, also while no record arrives, and at the end.
 */
export function rejectReport(what: string, write: (text: string) => void): RejectReport {
  const summary = new RejectSummary(what);
  const flush = (lines: readonly string[]) => {
    if (lines.length > 0) write(lines.map(printable).join('\n'));
  };
  const timer = setInterval(() => flush(summary.due(Date.now())), summary.intervalMs);
  timer.unref();
  return {
    add: (error, where) => summary.add(error, where),
    check: () => flush(summary.due(Date.now())),
    end: () => {
      clearInterval(timer);
      flush(summary.report(Date.now()));
    },
  };
}
