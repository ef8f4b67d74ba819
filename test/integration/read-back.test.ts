import { describe, expect, it } from 'vitest';
import { type ReadBackRecord, readBack } from '../../bridge/lib/read-back.ts';
import { createTopic, produce, testKafka, unique } from '../helpers/kafka.ts';

const HOUR = 3_600_000;

async function readAllBack(topic: string, since: number | null): Promise<ReadBackRecord[]> {
  const records: ReadBackRecord[] = [];
  const count = await readBack(testKafka(), 'read-back-test', topic, since, (r) => records.push(r));
  expect(count).toBe(records.length);
  return records;
}

describe('readBack', () => {
  const now = Date.now();
  const stamped = (key: string, ago: number, partition: number) => ({
    key,
    value: key,
    partition,
    timestamp: String(now - ago),
  });

  it('reads every record of every partition, up to the end offsets of when it began', async () => {
    const topic = unique('read-back');
    await createTopic(topic);
    await produce(topic, [stamped('a', 0, 0), stamped('b', 0, 1), stamped('c', 0, 1)]);
    const records = await readAllBack(topic, null);
    expect(records.map((r) => [r.partition, r.offset, r.key?.toString()]).sort()).toEqual([
      [0, '0', 'a'],
      [1, '0', 'b'],
      [1, '1', 'c'],
    ]);
    expect(records.every((r) => r.timestamp === now)).toBe(true);
  });

  it('starts each partition at the first record stamped at or after `since`', async () => {
    const topic = unique('read-back');
    await createTopic(topic);
    await produce(topic, [
      stamped('old-0', 3 * HOUR, 0),
      stamped('new-0', HOUR / 2, 0),
      stamped('old-1', 5 * HOUR, 1),
      stamped('old-2', 2 * HOUR, 2),
      stamped('new-2', 0, 2),
    ]);
    const records = await readAllBack(topic, now - HOUR);
    expect(records.map((r) => r.value?.toString()).sort()).toEqual(['new-0', 'new-2']);
  });

  it('reads a topic that does not exist as empty, without creating it', async () => {
    const topic = unique('read-back-missing');
    expect(await readAllBack(topic, null)).toEqual([]);
    const admin = testKafka().admin();
    await admin.connect();
    expect(await admin.listTopics()).not.toContain(topic);
    await admin.disconnect();
  });
});
