import type { MessageError } from './errors.ts';

/** How often a consumer reports the records it rejected: the first at once, then at most once a minute. */
export const REJECT_SUMMARY_MS = 60_000;

/** Reasons kept apart; past this many, further ones are counted together (their fields name them). */
const MAX_REASONS = 20;

interface Reason {
  count: number;
  /** The first record rejected for this reason: where it was, and the full message. */
  readonly where: string;
  readonly message: string;
}

/**
 * The records a consumer rejected, summarised: a count per reason (error code and field) with the
 * first record of each as an example, instead of a line per record, which a producer sending
 * thousands of bad records would turn into thousands of lines. Memory is bounded by MAX_REASONS.
 */
export class RejectSummary {
  /** Says which records these are, after "rejected N records" (e.g. "of sismos, copied to sismos-dlq"). */
  readonly what: string;
  readonly intervalMs: number;
  readonly #reasons = new Map<string, Reason>();
  #pending = 0;
  #lastReport = Number.NEGATIVE_INFINITY;

  constructor(what: string, intervalMs = REJECT_SUMMARY_MS) {
    this.what = what;
    this.intervalMs = intervalMs;
  }

  /** Counts a record rejected with `error`; `where` names it (e.g. "sismos [0] @ 12 key=us7000abcd"). */
  add(error: MessageError, where: string): void {
    this.#pending++;
    const own = reasonKey(error);
    const key = this.#reasons.size < MAX_REASONS || this.#reasons.has(own) ? own : 'other';
    const reason = this.#reasons.get(key);
    if (reason !== undefined) reason.count++;
    else {
      const message = key === 'other' ? `other reasons, such as: ${error.message}` : error.message;
      this.#reasons.set(key, { count: 1, where, message });
    }
  }

  /**
   * The summary lines when some records wait and the last report is `intervalMs` old (the first
   * rejection is reported at once), then starts counting afresh; otherwise none.
   */
  due(now: number): string[] {
    if (this.#pending === 0 || now - this.#lastReport < this.intervalMs) return [];
    return this.report(now);
  }

  /** The summary lines of every record not reported yet, now (when a consumer stops); none when there are none. */
  report(now: number): string[] {
    if (this.#pending === 0) return [];
    const lines = [
      `rejected ${this.#pending} record${this.#pending === 1 ? '' : 's'} ${this.what}; send messages as README.md's message format says:`,
      ...[...this.#reasons.values()]
        .sort((a, b) => b.count - a.count)
        .map(({ count, where, message }) => `  ${count} × ${message} (first: ${where})`),
    ];
    this.#reasons.clear();
    this.#pending = 0;
    this.#lastReport = now;
    return lines;
  }
}

function reasonKey(error: MessageError): string {
  return `${error.code}:${error.field ?? ''}`;
}
