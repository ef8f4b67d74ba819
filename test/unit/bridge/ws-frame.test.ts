import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { frameRun, textFrame } from '../../../bridge/lib/ws-frame.ts';

/** ws's frame parser (exported by ws, not declared by @types/ws). */
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => import('node:stream').Writable;
};

/** What a real WebSocket client (ws's own parser) reads from these bytes. */
function read(bytes: Buffer): string[] {
  const messages: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer) => messages.push(data.toString()));
  receiver.on('error', (error: Error) => messages.push(`error: ${error.message}`));
  receiver.write(bytes);
  return messages;
}

describe('textFrame', () => {
  it.each([
    ['empty', ''],
    ['short', '{"type":"quake"}'],
    ['125 bytes, the longest with a one-byte length', 'x'.repeat(125)],
    ['126 bytes, two-byte length', 'x'.repeat(126)],
    ['65,535 bytes', 'y'.repeat(65_535)],
    ['65,536 bytes, eight-byte length', 'z'.repeat(65_536)],
    ['multi-byte characters', `{"lugar":"${'Ñuñoa, Chile · 5 km ESE '.repeat(20)}"}`],
  ])('is read back by a WebSocket client as the same text (%s)', (_, text) => {
    expect(read(textFrame(text))).toEqual([text]);
  });

  it('runs frames back to back and says where each ends', () => {
    const texts = ['a', 'b'.repeat(300), 'é'];
    const run = frameRun(texts);
    expect(read(run.bytes)).toEqual(texts);
    expect([...run.ends]).toEqual([3, 3 + 4 + 300, 3 + 304 + 4]);
    expect(read(run.bytes.subarray(run.ends[0], run.ends[1]))).toEqual([texts[1]]);
  });
});
