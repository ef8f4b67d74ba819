import { MessageError } from './errors.ts';
import { isFiniteNumber } from './guards.ts';
import { readJson, requireField, requireObject } from './message.ts';

/** The notebook's four e-commerce event types, from the top of the funnel down. */
export const EVENT_TYPES = ['view', 'add_to_cart', 'purchase', 'remove_from_cart'] as const;
export type CommerceEventType = (typeof EVENT_TYPES)[number];

/** One e-commerce event: what a user did with a product, and when (event time, epoch ms). */
export interface CommerceEvent {
  readonly id: string;
  readonly time: number;
  readonly user: string;
  readonly type: CommerceEventType;
  readonly product: string;
  /** Unit price in dollars, with at most two decimals. */
  readonly price: number;
  readonly quantity: number;
}

/**
 * The value of a record on `eventos-ecommerce`, with the notebook's field names (its
 * generate_event()); this module is the only place those names meet a CommerceEvent.
 */
export interface CommerceMessage {
  event_id: string;
  /** Event time, ISO 8601 UTC with milliseconds. */
  timestamp: string;
  user_id: string;
  event_type: CommerceEventType;
  product: string;
  price: number;
  quantity: number;
}

export function encodeCommerceEvent(event: CommerceEvent): string {
  const message: CommerceMessage = {
    event_id: event.id,
    timestamp: new Date(event.time).toISOString(),
    user_id: event.user,
    event_type: event.type,
    product: event.product,
    price: event.price,
    quantity: event.quantity,
  };
  return JSON.stringify(message);
}

const MAX_PRICE = 1_000_000;
const MAX_QUANTITY = 1000;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Reads a record value back into an event; MessageError naming the field and what it must be. */
export function readCommerceEvent(value: string | Uint8Array | null): CommerceEvent | MessageError {
  try {
    const doc = requireObject(readJson(value, 'e-commerce event'), 'e-commerce event');
    const text = (name: string) =>
      requireField(
        doc,
        name,
        (v) => typeof v === 'string' && v.trim() !== '' && v.length <= 200,
        'a non-empty string of at most 200 characters',
      ) as string;
    const id = requireField(
      doc,
      'event_id',
      (v) => (typeof v === 'string' && v !== '' && v.length <= 200) || Number.isSafeInteger(v),
      'a non-empty string or a whole number',
    );
    const timestamp = requireField(
      doc,
      'timestamp',
      (v) => typeof v === 'string' && ISO_UTC.test(v) && Number.isFinite(Date.parse(v)),
      'an ISO 8601 UTC time such as "2026-12-01T10:00:00.000Z"',
    ) as string;
    const type = requireField(
      doc,
      'event_type',
      (v) => EVENT_TYPES.includes(v as CommerceEventType),
      `one of ${EVENT_TYPES.join(', ')}`,
    ) as CommerceEventType;
    const price = requireField(
      doc,
      'price',
      (v) => isFiniteNumber(v) && v >= 0 && v <= MAX_PRICE,
      `a number of dollars from 0 to ${MAX_PRICE}`,
    ) as number;
    const quantity = requireField(
      doc,
      'quantity',
      (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_QUANTITY,
      `a whole number from 1 to ${MAX_QUANTITY}`,
    ) as number;
    return {
      id: String(id),
      time: Date.parse(timestamp),
      user: text('user_id'),
      type,
      product: text('product'),
      price: Math.round(price * 100) / 100,
      quantity,
    };
  } catch (error) {
    if (error instanceof MessageError) return error;
    throw error;
  }
}

/** What a purchase brings in, in whole cents so that sums never depend on the order they are added in. */
export function revenueCents(event: CommerceEvent): number {
  return event.type === 'purchase' ? Math.round(event.price * 100) * event.quantity : 0;
}
