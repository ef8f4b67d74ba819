/**
 * The baseline of the relay benchmark, in a child process: a bare kafkajs consumer (eachBatch)
 * that reads the topic and does nothing else.
 *
 *   fork('bench/lib/bare-consumer.ts', [brokers, topic, group, mode, expected])
 *   mode "count": reports when it has read `expected` records, and when;
 *   mode "latency": on a "report" message ("reset" forgets what came before), sends the latency percentiles of every record (the
 *   send time is in its key, see latencyId).
 */
import { Kafka, logLevel } from 'kafkajs';
import { now, percentile, sentAtOf } from './clock.ts';

const [brokers = '', topic = '', group = '', mode = 'count', expectedArg = '0'] =
  process.argv.slice(2);
const expected = Number(expectedArg);
const latencies: number[] = [];
let count = 0;
let first: number | null = null;

const consumer = new Kafka({
  clientId: 'bench-bare',
  brokers: [brokers],
  logLevel: logLevel.NOTHING,
}).consumer({
  groupId: group,
});
consumer.on(consumer.events.GROUP_JOIN, () => process.send?.({ type: 'ready' }));
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
await consumer.run({
  eachBatch: async ({ batch }) => {
    const received = now();
    first ??= received;
    count += batch.messages.length;
    if (mode === 'latency') {
      for (const message of batch.messages) {
        const sentAt = sentAtOf(message.key?.toString() ?? '');
        if (sentAt !== null) latencies.push(received - sentAt);
      }
    } else if (count >= expected && count - batch.messages.length < expected) {
      process.send?.({ type: 'done', first, last: received });
    }
  },
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') latencies.length = 0;
  if (message.type === 'report') {
    process.send?.({
      type: 'latency',
      count: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
    });
  }
});
