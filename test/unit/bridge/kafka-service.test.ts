/**
 * The commit policy of the service shell (recordByRecord) against a batch as kafkajs hands it over:
 * what it resolves and commits, and when, decides what a restart writes twice.
 */
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { recordByRecord } from '../../../bridge/lib/kafka-service.ts';

/** A batch of `count` records from offset 10 on, logging every call the handler makes. */
function batch(count: number, stale: (calls: string[]) => boolean = () => false) {
  const calls: string[] = [];
  const resolved: string[] = [];
  const messages = Array.from(
    { length: count },
    (_, i) => ({ offset: String(10 + i), key: null, value: null }) as unknown as KafkaMessage,
  );
  const payload = {
    batch: { partition: 2, messages },
    resolveOffset: (offset: string) => {
      resolved.push(offset);
      calls.push(`resolve ${offset}`);
    },
    uncommittedOffsets: () => resolved.at(-1) ?? 'none',
    commitOffsetsIfNecessary: async (through: unknown) => {
      calls.push(`commit through ${String(through)}`);
    },
    heartbeat: async () => {
      calls.push('heartbeat');
    },
    isRunning: () => true,
    isStale: () => stale(calls),
  } as unknown as EachBatchPayload;
  return { payload, calls };
}

describe('recordByRecord', () => {
  it('resolves each record after handling it, commits at once after one that wrote, and the rest at the end', async () => {
    const { payload, calls } = batch(3);
    const handled: string[] = [];
    await recordByRecord(async (partition, message) => {
      handled.push(`${partition}@${message.offset}`);
      calls.push(`handle ${message.offset}`);
      return message.offset === '11';
    })(payload);

    expect(handled).toEqual(['2@10', '2@11', '2@12']);
    expect(calls).toEqual([
      'handle 10',
      'resolve 10',
      'heartbeat',
      'handle 11',
      'resolve 11',
      'commit through 11',
      'heartbeat',
      'handle 12',
      'resolve 12',
      'heartbeat',
      'commit through 12',
    ]);
  });

  it('neither resolves nor commits a record whose handling failed: it is handled again', async () => {
    const { payload, calls } = batch(3);
    const failure = new Error('sink down');
    const handling = recordByRecord(async (_, message) => {
      if (message.offset === '11') throw failure;
      return true;
    })(payload);

    await expect(handling).rejects.toBe(failure);
    expect(calls).toEqual(['resolve 10', 'commit through 10', 'heartbeat']);
  });

  it('stops handling a batch that became stale (its partition was sought elsewhere)', async () => {
    const { payload, calls } = batch(3, (calls) => calls.includes('resolve 10'));
    const handled: string[] = [];
    await recordByRecord(async (_, message) => {
      handled.push(message.offset);
      return false;
    })(payload);

    expect(handled).toEqual(['10']);
    expect(calls).toEqual(['resolve 10', 'heartbeat', 'commit through 10']);
  });
});
