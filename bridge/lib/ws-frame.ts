/**
 * WebSocket frames from the server, built by hand (RFC 6455 §5.2) so that one frame is encoded
 * once and written to every client as bytes, instead of once per client through ws.send().
 */

/** A final, unmasked text frame carrying `text` (servers never mask). */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(headerSize(length) + length);
  writeFrame(frame, 0, text, length);
  return frame;
}

/**
 * A final text frame carrying the text `pieces` join into, written piece by piece (joining many
 * long pieces into one string first would copy them all once more).
 */
export function textFrameOf(pieces: readonly string[]): Buffer {
  const lengths = pieces.map((piece) => Buffer.byteLength(piece));
  let length = 0;
  for (const pieceLength of lengths) length += pieceLength;
  const frame = Buffer.allocUnsafe(headerSize(length) + length);
  writeHeader(frame, 0, length);
  let at = headerSize(length);
  for (const [i, piece] of pieces.entries()) {
    frame.write(piece, at, lengths[i] as number, 'utf8');
    at += lengths[i] as number;
  }
  return frame;
}

/**
 * A final text frame whose text is `head` followed by the UTF-8 bytes `tail`, as two buffers: the
 * header with `head`, and `tail` itself, so that one large tail is shared by every client, not copied.
 */
export function textFrameAround(head: string, tail: Buffer): [Buffer, Buffer] {
  const headLength = Buffer.byteLength(head);
  const length = headLength + tail.length;
  const start = Buffer.allocUnsafe(headerSize(length) + headLength);
  writeHeader(start, 0, length);
  start.write(head, headerSize(length), headLength, 'utf8');
  return [start, tail];
}

/** Text frames one after another in one buffer, and where each ends. */
export interface FrameRun {
  readonly bytes: Buffer;
  /** ends[i]: the offset just after frame i (frame i starts at ends[i - 1], or 0). */
  readonly ends: Uint32Array;
}

export function frameRun(texts: readonly string[]): FrameRun {
  const lengths = texts.map((text) => Buffer.byteLength(text));
  const ends = new Uint32Array(texts.length);
  let end = 0;
  lengths.forEach((length, i) => {
    end += headerSize(length) + length;
    ends[i] = end;
  });
  const bytes = Buffer.allocUnsafe(end);
  texts.forEach((text, i) => {
    writeFrame(bytes, i === 0 ? 0 : (ends[i - 1] as number), text, lengths[i] as number);
  });
  return { bytes, ends };
}

function headerSize(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

/** Writes the frame of `text` (`length` bytes in UTF-8) into `into` at `at`. */
function writeFrame(into: Buffer, at: number, text: string, length: number): void {
  writeHeader(into, at, length);
  into.write(text, at + headerSize(length), length, 'utf8');
}

/** Writes the header of a final text frame of `length` bytes into `into` at `at`. */
function writeHeader(into: Buffer, at: number, length: number): void {
  into[at] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    into[at + 1] = length;
  } else if (length < 65_536) {
    into[at + 1] = 126;
    into.writeUInt16BE(length, at + 2);
  } else {
    into[at + 1] = 127;
    into.writeBigUInt64BE(BigInt(length), at + 2);
  }
}

/** The longest close reason a WebSocket may carry, in bytes of UTF-8 (RFC 6455 §5.5: 125 less the code). */
const MAX_REASON_BYTES = 123;

/**
 * `reason` as a close reason: unchanged when it fits in 123 bytes of UTF-8, else cut on a character
 * boundary and ended with "...", never over the limit (ws throws a RangeError past it).
 */
export function closeReason(reason: string): string {
  const bytes = Buffer.from(reason);
  if (bytes.length <= MAX_REASON_BYTES) return reason;
  let end = MAX_REASON_BYTES - 3;
  // Back to the first byte of the character the cut falls in (continuation bytes are 10xxxxxx).
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString()}...`;
}
