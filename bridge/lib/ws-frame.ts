/**
 * WebSocket frames from the server, built by hand (RFC 6455 §5.2) so that one frame is encoded
 * once and written to every client as bytes, instead of once per client through ws.send().
 */

/** A final, unmasked text frame carrying `text` (servers never mask). */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}

/** Text frames one after another in one buffer, and where each ends. */
export interface FrameRun {
  readonly bytes: Buffer;
  /** ends[i]: the offset just after frame i (frame i starts at ends[i - 1], or 0). */
  readonly ends: Uint32Array;
}

export function frameRun(texts: readonly string[]): FrameRun {
  const frames = texts.map(textFrame);
  const ends = new Uint32Array(frames.length);
  let end = 0;
  frames.forEach((frame, i) => {
    end += frame.length;
    ends[i] = end;
  });
  return { bytes: Buffer.concat(frames, end), ends };
}
