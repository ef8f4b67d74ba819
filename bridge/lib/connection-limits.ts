/**
 * How many WebSocket connections are open, in all and per peer address, against the limits
 * (BRIDGE_MAX_CONNECTIONS, BRIDGE_MAX_CONNECTIONS_PER_ADDRESS).
 */
export class ConnectionLimits {
  readonly #max: number;
  readonly #maxPerAddress: number;
  /** Open connections per peer address. */
  readonly #open = new Map<string, number>();
  #total = 0;
  #refused = 0;

  constructor(max: number, maxPerAddress: number) {
    this.#max = max;
    this.#maxPerAddress = maxPerAddress;
  }

  /** How many connections were refused since the bridge started. */
  get refused(): number {
    return this.#refused;
  }

  /**
   * Counts one more connection from `peer` and returns null, or, over a limit, counts it refused
   * and returns the reason, naming the limit and its setting.
   */
  admit(peer: string): string | null {
    let full: string | null = null;
    if ((this.#open.get(peer) ?? 0) >= this.#maxPerAddress) {
      full = `too many connections from ${peer} (limit ${this.#maxPerAddress}, BRIDGE_MAX_CONNECTIONS_PER_ADDRESS)`;
    } else if (this.#total >= this.#max) {
      full = `too many connections (limit ${this.#max}, BRIDGE_MAX_CONNECTIONS)`;
    }
    if (full !== null) {
      this.#refused++;
      return full;
    }
    this.#total++;
    this.#open.set(peer, (this.#open.get(peer) ?? 0) + 1);
    return null;
  }

  /** An admitted connection from `peer` closed. */
  closed(peer: string): void {
    this.#total--;
    const left = (this.#open.get(peer) ?? 1) - 1;
    if (left === 0) this.#open.delete(peer);
    else this.#open.set(peer, left);
  }
}
