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
  into.write(text, at + headerSize(length), length, 'utf8');
}
