/**
 * Challenge 3 — your first consumer.
 * Joins the consumer group `mi-grupo-consumidor` on the topic `mensajes-test`, reading from the
 * earliest offset the group has not committed yet, and prints partition, offset, key and value of
 * every message. Ctrl+C (or SIGTERM) leaves the group cleanly with the offsets committed.
 *
 *   npm run consumidor-simple
 */
import { printable } from '../src/core/text.ts';
import { envString } from './lib/env.ts';
import { helpText } from './lib/help.ts';
import { createKafka, kafkaBrokers, ONE_SHOT_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { Service } from './lib/service.ts';
import { topics } from './lib/topics.ts';

const service = new Service(
  'consumidor_simple',
  helpText('consumidor_simple', {
    summary:
      'challenge 3: prints partition, offset, key and value of every message of mensajes-test, as a member of a consumer group.',
    usage: 'npm run consumidor-simple',
    variables: ['KAFKA_BROKERS', 'MENSAJES_TOPIC', 'CONSUMER_GROUP', 'KAFKAJS_LOG_LEVEL'],
  }),
);
const { groupId } = service.config(() => ({
  brokers: kafkaBrokers(),
  groupId: envString('CONSUMER_GROUP', 'mi-grupo-consumidor'),
}));

const kafka = createKafka('consumidor-simple', ONE_SHOT_RETRY);
const consumer = kafka.consumer({ groupId });

consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  const partitions = payload.memberAssignment[topics.mensajes] ?? [];
  console.log(
    `joined group ${groupId} on ${topics.mensajes} (partitions ${partitions.join(',') || 'none'}); waiting for messages, Ctrl+C to stop`,
  );
});
consumer.on(consumer.events.CRASH, ({ payload }) => {
  if (!payload.restart) service.fail(kafkaError(payload.error).message);
});
service.onStop(async () => {
  // disconnect() lets the message in hand finish, commits the consumed offsets and leaves the group.
  await consumer.disconnect();
  return `left group ${groupId}, offsets committed.`;
});

try {
  await consumer.connect();
  // `earliest` in confluent-kafka terms: a group with no committed offset starts at the beginning.
  await consumer.subscribe({ topics: [topics.mensajes], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const key = message.key === null ? '(none)' : printable(message.key.toString());
      const value = message.value === null ? '(null)' : printable(message.value.toString());
      console.log(`partition=${partition} offset=${message.offset} key=${key} value=${value}`);
    },
  });
} catch (error) {
  await consumer.disconnect().catch(() => {});
  service.fail(kafkaError(error).message);
}
