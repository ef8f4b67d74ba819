/**
 * Challenge 2 — your first producer.
 * Sends 10 JSON messages {id, texto, timestamp} to the topic `mensajes-test`, keyed by id,
 * prints where each one was stored (topic, partition, offset) and exits once all are acknowledged.
 *
 *   npm run productor-simple
 */
import { Partitioners } from 'kafkajs';
import { fail, formatDuration } from './lib/console.ts';
import { createKafka, ONE_SHOT_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { topics } from './lib/topics.ts';

const COUNT = 10;
/** The whole run, connection included, never takes longer than this. */
const DEADLINE_MS = 30_000;

setTimeout(
  () => fail('productor_simple', `gave up after ${formatDuration(DEADLINE_MS)}`),
  DEADLINE_MS,
).unref();

const kafka = createKafka('productor-simple', ONE_SHOT_RETRY);
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });

try {
  await producer.connect();
  // Every send resolves with its delivery report, like confluent-kafka's delivery callback;
  // awaiting them all is the flush().
  await Promise.all(
    Array.from({ length: COUNT }, async (_, i) => {
      const mensaje = {
        id: i + 1,
        texto: `Mensaje número ${i + 1}`,
        timestamp: new Date().toISOString(),
      };
      const [report] = await producer.send({
        topic: topics.mensajes,
        acks: -1,
        messages: [{ key: String(mensaje.id), value: JSON.stringify(mensaje) }],
      });
      console.log(
        `delivered ${report?.topicName} [${report?.partition}] @ ${report?.baseOffset}  key=${mensaje.id}`,
      );
    }),
  );
  await producer.disconnect();
  console.log(`${COUNT} messages sent to ${topics.mensajes}.`);
} catch (error) {
  await producer.disconnect().catch(() => {});
  fail('productor_simple', kafkaError(error).message);
}
