/**
 * The notebook's EcommerceEventSimulator on a real topic: seeded e-commerce events (view,
 * add_to_cart, purchase, remove_from_cart) with user, product, price, quantity and event time, sent
 * to `eventos-ecommerce` keyed by user (all of a user's events in one partition, in order), at a
 * configurable rate. Prints each event as the notebook does; Ctrl+C stops it.
 *
 *   npm run simulador-ecommerce -- --ritmo 5
 *   npm run simulador-ecommerce -- --semilla 7 --eventos 2000 --sin-pausa --inicio 2026-12-01T10:00:00Z
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeCommerceEvent } from '../src/core/ecommerce.ts';
import { CommerceSimulator } from '../src/core/ecommerce-simulator.ts';
import { formatUtc, plural } from './lib/console.ts';
import { parseFlags, SIMULATOR_HELP, simulationConfig } from './lib/ecommerce-config.ts';
import { createKafka, kafkaBrokers, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { createAckedProducer } from './lib/producer.ts';
import { Service } from './lib/service.ts';
import { topics } from './lib/topics.ts';

const USAGE = `usage: simulador_ecommerce [options]

Sends simulated e-commerce events to ${topics.ecommerce} (ECOMMERCE_TOPIC) at KAFKA_BROKERS, keyed by
user. procesador_ecommerce --sin-kafka runs the same simulator without Kafka.

Options (and the environment variable each defaults to):
${SIMULATOR_HELP}
  --help                this text`;
/** Events sent in one request when not paced. */
const BATCH = 500;

const service = new Service('simulador_ecommerce', USAGE);
service.config(kafkaBrokers);
const values = service.config(() => parseFlags('simulador', USAGE));
const config = service.config(() => simulationConfig(values, Date.now()));
const simulator = new CommerceSimulator(config.simulator);
const { events, paced } = config;
const { ratePerSecond, seed, start } = config.simulator;

console.log(
  `${service.name}: ${events === 0 ? 'events without end' : plural(events, 'event')} from seed ${seed}, ${ratePerSecond}/s of event time from ${formatUtc(start)}${paced ? '' : ' (no pause)'}, to ${topics.ecommerce} at ${kafkaBrokers().join(',')}; Ctrl+C to stop`,
);

const producer = createAckedProducer(createKafka('simulador-ecommerce', SERVICE_RETRY));
let sent = 0;
service.onStop(async () => {
  await producer.close();
  return `${plural(sent, 'event')} sent to ${topics.ecommerce}`;
});

try {
  while (events === 0 || simulator.count < events) {
    const size = paced ? 1 : Math.min(BATCH, events === 0 ? BATCH : events - simulator.count);
    const batch = Array.from({ length: size }, () => simulator.next());
    await producer.send(
      topics.ecommerce,
      batch.map((event) => ({ key: event.user, value: encodeCommerceEvent(event) })),
    );
    for (const event of batch) console.log(`Evento generado: ${event.type} - ${event.product}`);
    sent += batch.length;
    if (paced)
      await sleep(1000 / ratePerSecond, undefined, { signal: service.stopping }).catch(() => {});
    if (service.stopping.aborted) break;
  }
} catch (error) {
  service.fail(`could not send to ${topics.ecommerce}: ${kafkaError(error).message}`);
}
await producer.close();
console.log(`${plural(sent, 'event')} sent to ${topics.ecommerce}.`);
