import type { CommerceEvent, CommerceEventType } from './ecommerce.ts';
import { seededRandom } from './random.ts';

/** The notebook's products (EcommerceEventSimulator.products). */
export const PRODUCTS = ['laptop', 'mouse', 'keyboard', 'monitor', 'headphones'] as const;

export interface SimulatorOptions {
  /** The same seed gives the same stream. */
  readonly seed: number;
  /** Event time of the stream's beginning, epoch ms. */
  readonly start: number;
  /** Events per second of event time, on average (the gaps between events are exponential). */
  readonly ratePerSecond: number;
  /** How many users there are: user_1 ... user_N, as in the notebook. */
  readonly users: number;
  /** Up to how far behind the stream's clock an event's time may be (clients that report late). */
  readonly disorderMs: number;
}

/** What a visit does next, once it has begun with a view: the funnel of a shop. */
const NEXT_STEP: readonly (readonly [CommerceEventType, number])[] = [
  ['view', 0.5],
  ['add_to_cart', 0.25],
  ['purchase', 0.15],
  ['remove_from_cart', 0.1],
];
/** Chance that a visit ends after each of its events: visits last four events on average. */
const LEAVE_CHANCE = 0.25;
/** Chance that the next event comes from a new visit rather than an ongoing one. */
const NEW_VISIT_CHANCE = 0.3;

/**
 * The notebook's EcommerceEventSimulator, seeded and with visits: users arrive, view products, put
 * some in the cart, buy or remove some, and leave, so that conversion rates and sessions mean
 * something. Prices are drawn as the notebook draws them (10 to 2000 dollars), quantities 1 to 4.
 */
export class CommerceSimulator {
  readonly #options: SimulatorOptions;
  readonly #random: () => number;
  /** Users in the middle of a visit. */
  readonly #visiting: string[] = [];
  #clock: number;
  #count = 0;

  constructor(options: SimulatorOptions) {
    if (!(options.ratePerSecond > 0 && options.users >= 1 && options.disorderMs >= 0)) {
      throw new RangeError(
        `the simulator needs a rate > 0, at least one user and a disorder >= 0; got rate ${options.ratePerSecond}, ${options.users} users, disorder ${options.disorderMs} ms`,
      );
    }
    this.#options = options;
    this.#random = seededRandom(options.seed);
    this.#clock = options.start;
  }

  /** How many events were generated so far. */
  get count(): number {
    return this.#count;
  }

  next(): CommerceEvent {
    const random = this.#random;
    const { seed, ratePerSecond, users, disorderMs } = this.#options;
    this.#clock += (-Math.log(1 - random()) * 1000) / ratePerSecond;
    const newVisit =
      this.#visiting.length === 0 || (this.#visiting.length < users && random() < NEW_VISIT_CHANCE);
    let user: string;
    let type: CommerceEventType;
    if (newVisit) {
      do user = `user_${1 + Math.floor(random() * users)}`;
      while (this.#visiting.includes(user));
      this.#visiting.push(user);
      type = 'view';
    } else {
      user = this.#visiting[Math.floor(random() * this.#visiting.length)] as string;
      type = pick(NEXT_STEP, random());
    }
    if (random() < LEAVE_CHANCE) this.#visiting.splice(this.#visiting.indexOf(user), 1);
    this.#count++;
    return {
      id: `${seed}-${this.#count}`,
      time: Math.round(this.#clock - random() * disorderMs),
      user,
      type,
      product: PRODUCTS[Math.floor(random() * PRODUCTS.length)] as string,
      price: Math.round((10 + random() * 1990) * 100) / 100,
      quantity: 1 + Math.floor(random() * 4),
    };
  }
}

function pick<T>(weighted: readonly (readonly [T, number])[], draw: number): T {
  let left = draw;
  for (const [value, weight] of weighted) {
    left -= weight;
    if (left < 0) return value;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}
