/**
 * HyperLogLog (Flajolet et al., 2007): the number of distinct strings in a fixed few kilobytes,
 * with a relative standard error of 1.04/√m for m registers. Windows count their users exactly
 * (they hold their events anyway); a count over a whole unbounded stream uses this instead.
 */
export class HyperLogLog {
  /** log2 of the number of registers. */
  readonly precision: number;
  readonly #registers: Uint8Array;

  /** 2^precision registers of one byte: precision 12 takes 4 KiB for a 1.6% standard error. */
  constructor(precision = 12) {
    if (!(Number.isInteger(precision) && precision >= 4 && precision <= 16)) {
      throw new RangeError(
        `HyperLogLog precision must be a whole number from 4 to 16, got ${precision}`,
      );
    }
    this.precision = precision;
    this.#registers = new Uint8Array(1 << precision);
  }

  /** The relative standard error of the estimate. */
  get standardError(): number {
    return 1.04 / Math.sqrt(this.#registers.length);
  }

  add(value: string): void {
    const hash = hash32(value);
    const index = hash >>> (32 - this.precision);
    // The rank: position of the first 1 bit in the remaining bits (all zero counts as one past them).
    const rest = (hash << this.precision) >>> 0;
    const rank = rest === 0 ? 33 - this.precision : Math.clz32(rest) + 1;
    if (rank > (this.#registers[index] as number)) this.#registers[index] = rank;
  }

  /** Adds everything `other` counted (same precision): the estimate of the union. */
  merge(other: HyperLogLog): void {
    if (other.precision !== this.precision) {
      throw new RangeError(
        `cannot merge HyperLogLogs of precision ${other.precision} and ${this.precision}`,
      );
    }
    const theirs = other.#registers;
    for (let i = 0; i < theirs.length; i++) {
      if ((theirs[i] as number) > (this.#registers[i] as number))
        this.#registers[i] = theirs[i] as number;
    }
  }

  /** The estimated number of distinct values added, rounded. */
  estimate(): number {
    const m = this.#registers.length;
    let sum = 0;
    let zeros = 0;
    for (const register of this.#registers) {
      sum += 2 ** -register;
      if (register === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    // Small cardinalities: linear counting over the empty registers is the better estimate.
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}

/** FNV-1a over the UTF-16 code units, then murmur3's finaliser so every bit depends on every input bit. */
function hash32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
