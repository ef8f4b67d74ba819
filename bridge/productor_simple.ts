/**
 * Challenge 2 — your first producer.
 * Sends 10 JSON messages {id, texto, timestamp} to the topic `mensajes-test`, keyed by id, one
 * after the other (each acknowledged before the next is sent, so they are stored in order), prints
 * where each one was stored (topic, partition, offset) and exits.
 *
 *   npm run productor-simple
 */
import { Partitioners } from 'kafkajs';
import { formatDuration } from './lib/console.ts';
import { helpText } from './lib/help.ts';
import { createKafka, kafkaBrokers, ONE_SHOT_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { Service } from './lib/service.ts';
import { topics } from './lib/topics.ts';

const service = new Service(
  'productor_simple',
  helpText('productor_simple', {
    summary:
      'challenge 2: sends 10 JSON messages {id, texto, timestamp} keyed by id to mensajes-test, in order, prints where each was stored, and exits.',
    usage: 'npm run productor-simple',
    variables: ['KAFKA_BROKERS', 'MENSAJES_TOPIC', 'KAFKAJS_LOG_LEVEL'],
  }),
);
service.config(kafkaBrokers);

const COUNT = 10;
/** The whole run, connection included, never takes longer than this. */
const DEADLINE_MS = 30_000;

setTimeout(() => service.fail(`gave up after ${formatDuration(DEADLINE_MS)}`), DEADLINE_MS).unref();

const kafka = createKafka('productor-simple', ONE_SHOT_RETRY);
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });

try {
  await producer.connect();
  // Each send resolves with its delivery report, like confluent-kafka's delivery callback; awaiting
  // it before the next send keeps the messages in order, even when a send is retried.
  for (let id = 1; id <= COUNT; id++) {
    const mensaje = { id, texto: `Mensaje número ${id}`, timestamp: new Date().toISOString() };
    const [report] = await producer.send({
      topic: topics.mensajes,
      acks: -1,
      messages: [{ key: String(mensaje.id), value: JSON.stringify(mensaje) }],
    });
    console.log(
      `delivered ${report?.topicName} [${report?.partition}] @ ${report?.baseOffset}  key=${mensaje.id}`,
    );
  }
  await producer.disconnect();
  console.log(`${COUNT} messages sent to ${topics.mensajes}.`);
} catch (error) {
  await producer.disconnect().catch(() => {});
  service.fail(kafkaError(error).message);
}
