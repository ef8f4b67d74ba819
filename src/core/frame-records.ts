/**
 * The client's end of the record frames (docs/protocol.md): the records a `quake`, `alert` or
 * `stats` frame (version 1) or a `batch` frame (version 2) carries, validated with the same decoders
 * as the records on Kafka, whichever version the bridge spoke.
 */
import { describeValue, ProtocolError } from './errors.ts';
import { isObject } from './guards.ts';
import { quakeFromMessage } from './message.ts';
import type { Quake } from './quake.ts';
import { windowFromMessage } from './stats-message.ts';
import type { WindowStats } from './window.ts';

/** A relayed record as the page takes it. */
export type RelayedItem =
  | { readonly kind: 'quake' | 'alert'; readonly quake: Quake }
  | { readonly kind: 'stats'; readonly window: WindowStats };

export interface FrameRecords {
  /** In the order the bridge relayed them. */
  readonly items: RelayedItem[];
  /** The position after the last of them (to resume from); null when the frame carried none. */
  readonly cursor: string | null;
}

/**
 * The records of a parsed frame, validated at `now` (epoch ms), and its cursor; null for a frame
 * that carries no records (hello, snapshot, source, a type this end does not know). Throws
 * MessageError for a record that is not valid and ProtocolError for a batch without items, so
 * that the frame is dropped whole and its cursor not kept.
 */
export function frameRecords(frame: unknown, now: number): FrameRecords | null {
  if (!isObject(frame)) return null;
  const cursor = typeof frame.cursor === 'string' ? frame.cursor : null;
  if (frame.type !== 'batch') {
    const item = relayedItem(frame, now);
    return item === null ? null : { items: [item], cursor };
  }
  if (!Array.isArray(frame.items)) {
    throw new ProtocolError(
      'PROTOCOL_BAD_FRAME',
      `a batch frame's items must be an array, got ${describeValue(frame.items)}`,
    );
  }
  const items: RelayedItem[] = [];
  for (const value of frame.items as unknown[]) {
    // An item of a type this end does not know is passed over, as a frame of one is.
    const item = isObject(value) ? relayedItem(value, now) : null;
    if (item !== null) items.push(item);
  }
  return { items, cursor };
}

/** The record of a `quake`, `alert` or `stats` frame or batch item, validated; null for another type. */
function relayedItem(item: Record<string, unknown>, now: number): RelayedItem | null {
  switch (item.type) {
    case 'quake':
    case 'alert':
      return { kind: item.type, quake: quakeFromMessage(item.quake, now) };
    case 'stats':
      return { kind: 'stats', window: windowFromMessage(item.window) };
    default:
      return null;
  }
}
