import { MessageError } from './errors.ts';
import { decodeMessage } from './message.ts';
import type { Quake } from './quake.ts';

/**
 * The largest record value read as a quake. A challenge-4 message is well under 1 KiB; anything
 * this big is not one, and is refused before being parsed.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Reads a `sismos` record value as decodeMessage does, refusing oversized values first. Throws MessageError. */
export function readQuakeRecord(
  value: string | Uint8Array | null | undefined,
  maxBytes = MAX_MESSAGE_BYTES,
): Quake {
  const size = typeof value === 'string' ? new TextEncoder().encode(value).length : value?.length;
  if (size !== undefined && size > maxBytes) {
    throw new MessageError(
      'MESSAGE_TOO_LARGE',
      `message of ${size} bytes is larger than the ${maxBytes} bytes a quake message may have`,
      null,
      null,
    );
  }
  return decodeMessage(value);
}
