import type { Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { chunkBySize, MAX_SEND_BYTES } from '../../../bridge/lib/producer.ts';

const message = (key: string, bytes: number): Message => ({ key, value: 'x'.repeat(bytes) });

describe('chunkBySize', () => {
  it('keeps a small send whole', () => {
    const messages = [message('a', 10), message('b', 10)];
    expect(chunkBySize(messages)).toEqual([messages]);
  });

  it('splits a 20,000-quake poll into sends under the broker limit, in order, losing none', () => {
    const messages = Array.from({ length: 20_000 }, (_, i) => message(`us${i}`, 430));
    const chunks = chunkBySize(messages);
    expect(chunks.length).toBeGreaterThan(8);
    expect(chunks.flat()).toEqual(messages);
    for (const chunk of chunks) {
      const bytes = chunk.reduce(
        (sum, m) => sum + String(m.key).length + String(m.value).length,
        0,
      );
      expect(bytes).toBeLessThanOrEqual(MAX_SEND_BYTES);
      // A broker refuses a record batch over 1 MiB by default.
      expect(bytes).toBeLessThan(1024 * 1024);
    }
  });

  it('counts bytes, not characters, and sends a message larger than the limit alone', () => {
    const wide = { key: 'ñ', value: 'é'.repeat(300) };
    expect(chunkBySize([wide, wide, wide], 1400)).toEqual([[wide, wide], [wide]]);
    const huge = message('big', 2000);
    expect(chunkBySize([message('a', 10), huge, message('b', 10)], 1000)).toEqual([
      [message('a', 10)],
      [huge],
      [message('b', 10)],
    ]);
  });
});
