import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import {
  closeReason,
  frameRun,
  textFrame,
  textFrameAround,
  textFrameOf,
} from '../../../bridge/lib/ws-frame.ts';
import { runs } from '../../helpers/seed.ts';

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

describe('textFrameOf', () => {
  it('is read back as the text its pieces join into, whatever their characters and length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 20 }),
        fc.constantFrom(0, 100, 70_000),
        (pieces, padding) => {
          const all = [...pieces, 'é'.repeat(padding)];
          expect(read(textFrameOf(all))).toEqual([all.join('')]);
        },
      ),
      runs(200),
    );
  });
});

describe('textFrameAround', () => {
  it('is read back as the head then the tail, and gives the tail itself, not a copy', () => {
    for (const tailLength of [0, 100, 200, 70_000]) {
      const head = '{"type":"snapshot","reset":"ñ"';
      const tail = Buffer.from(`,"x":"${'é'.repeat(tailLength)}"}`);
      const [start, shared] = textFrameAround(head, tail);
      expect(shared).toBe(tail);
      expect(read(Buffer.concat([start, shared]))).toEqual([head + tail.toString()]);
    }
  });
});

/** Bytes of `text` in UTF-8. */
const bytes = (text: string) => Buffer.byteLength(text);

describe('closeReason', () => {
  it.each([
    ['empty', ''],
    ['123 ASCII bytes', 'x'.repeat(123)],
    ['41 three-byte characters (123 bytes)', '日'.repeat(41)],
    ['30 four-byte characters and 3 ASCII (123 bytes)', `${'🌋'.repeat(30)}abc`],
  ])('leaves a reason of at most 123 bytes as it is (%s)', (_, reason) => {
    expect(closeReason(reason)).toBe(reason);
  });

  it.each([
    // The repro of issue 11: cutting at byte 119 fell inside a character.
    ['x then 41 three-byte characters', `x${'日'.repeat(41)}`, `x${'日'.repeat(39)}...`],
    ['124 ASCII bytes', 'y'.repeat(124), `${'y'.repeat(120)}...`],
    ['two-byte characters', 'ñ'.repeat(70), `${'ñ'.repeat(60)}...`],
    ['four-byte characters', '🌋'.repeat(40), `${'🌋'.repeat(30)}...`],
    ['four-byte characters after one ASCII', `a${'🌋'.repeat(40)}`, `a${'🌋'.repeat(29)}...`],
    [
      'a lone surrogate, which UTF-8 writes as U+FFFD',
      `${'\ud800'.repeat(50)}`,
      `${'\ufffd'.repeat(40)}...`,
    ],
  ])('cuts a longer one on a character boundary, within 123 bytes (%s)', (_, reason, cut) => {
    expect(closeReason(reason)).toBe(cut);
    expect(bytes(cut)).toBeLessThanOrEqual(123);
  });

  it('never goes over 123 bytes, never splits a character, and keeps as much as fits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200, size: 'max' }), (reason) => {
        const clipped = closeReason(reason);
        expect(bytes(clipped)).toBeLessThanOrEqual(123);
        if (bytes(reason) <= 123) {
          expect(clipped).toBe(reason);
          return;
        }
        // What UTF-8 carries of the reason (a lone surrogate becomes U+FFFD): the cut keeps a prefix of it.
        const fitted = Buffer.from(reason).toString();
        const kept = clipped.slice(0, -3);
        expect(clipped.endsWith('...')).toBe(true);
        expect(fitted.startsWith(kept)).toBe(true);
        // One more character would not have fitted in 120 bytes.
        const next = String.fromCodePoint(fitted.codePointAt(kept.length) as number);
        expect(bytes(kept) + bytes(next)).toBeGreaterThan(120);
      }),
      runs(1000),
    );
  });
});
