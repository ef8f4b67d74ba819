/**
 * The notebook's StreamProcessor on a real topic: reads `eventos-ecommerce` in the consumer group
 * `procesador-ecommerce` and computes, per window of event time, the events by type, the top
 * products, the unique users, the revenue and the view-to-purchase conversion rate, in tumbling
 * and sliding windows, in sessions per user (30 minutes of inactivity) and optionally in the
 * notebook's count windows. Each window is printed as the notebook prints it when the watermark
 * closes it, and published to `ecommerce-resultados`.
 *
 *   npm run procesador-ecommerce
 *   npm run procesador-ecommerce -- --sin-kafka --eventos 500 --sin-pausa
 *
 * With --sin-kafka it runs the simulator and the processor in one process through the same core
 * functions (the notebook's section 4): no broker, console only; the stream ends after --eventos.
 */
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import type { EachBatchPayload } from 'kafkajs';
import { readCommerceEvent } from '../src/core/ecommerce.ts';
import {
  type CommerceWindow,
  describeSpan,
  formatTotals,
  formatWindow,
  windowRecord,
} from '../src/core/ecommerce-metrics.ts';
import { CommerceProcessor } from '../src/core/ecommerce-processor.ts';
import { CommerceSimulator } from '../src/core/ecommerce-simulator.ts';
import { MessageError } from '../src/core/errors.ts';
import { printable } from '../src/core/text.ts';
import { formatDuration, formatUtc, plural } from './lib/console.ts';
import {
  PROCESSOR_HELP,
  parseFlags,
  processorConfig,
  SIMULATOR_HELP,
  simulationConfig,
} from './lib/ecommerce-config.ts';
import { envString } from './lib/env.ts';
import { createKafka, kafkaBrokers, kafkaSessionTimeoutMs, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { committedOffsets, consumeAsService } from './lib/kafka-service.ts';
import { createAckedProducer } from './lib/producer.ts';
import { failedStep, Service } from './lib/service.ts';
import { topics } from './lib/topics.ts';

const USAGE = `usage: procesador_ecommerce [options]

Reads ${topics.ecommerce} (ECOMMERCE_TOPIC) at KAFKA_BROKERS in group ECOMMERCE_GROUP and publishes
every closed window to ${topics.ecommerceResults} (ECOMMERCE_RESULTS_TOPIC).

Windows (and the environment variable each defaults to):
${PROCESSOR_HELP}

  --sin-kafka           simulate the events in this process instead of reading Kafka, with:
${SIMULATOR_HELP}
  --help                this text`;

const service = new Service('procesador_ecommerce', USAGE);
service.config(kafkaBrokers);
const values = service.config(() => parseFlags('procesador', USAGE));
const options = service.config(() => processorConfig(values));
const processor = new CommerceProcessor(options);

function describeWindows(): string {
  const count =
    options.count === null
      ? ''
      : `, count windows of ${options.count.size}/${options.count.slide} events`;
  return `tumbling ${formatDuration(options.tumblingMs)}, sliding ${formatDuration(options.slidingMs)} every ${formatDuration(options.slideMs)}, sessions ending after ${formatDuration(options.sessionGapMs)}${count}; allowed lateness ${formatDuration(options.latenessMs)}`;
}

function watermarkText(): string {
  return Number.isFinite(processor.watermark) ? formatUtc(processor.watermark) : 'none yet';
}

function show(windows: readonly CommerceWindow[]): void {
  for (const window of windows) console.log(formatWindow(window).map(printable).join('\n'));
}

if (values['sin-kafka'] === true) await withoutKafka();
else await withKafka();

/** The notebook's section 4: simulator and processor in one process, the stream ending after --eventos. */
async function withoutKafka(): Promise<void> {
  const config = service.config(() => simulationConfig(values, Date.now()));
  const simulator = new CommerceSimulator(config.simulator);
  const { seed, ratePerSecond, start } = config.simulator;
  console.log(
    `${service.name} --sin-kafka: ${config.events === 0 ? 'events without end' : plural(config.events, 'event')} from seed ${seed}, ${ratePerSecond}/s from ${formatUtc(start)}; ${describeWindows()}`,
  );
  const finish = () => {
    console.log(
      `\nFin del stream: las ventanas abiertas se cierran (watermark ${watermarkText()}).`,
    );
    show(processor.closeUpTo(Number.POSITIVE_INFINITY));
    console.log(formatTotals(processor.totals).join('\n'));
    return `${plural(processor.totals.totalEvents, 'event')} processed, ${plural(processor.lateCount, 'late event')}`;
  };
  service.onStop(async () => finish());
  while (config.events === 0 || simulator.count < config.events) {
    const event = simulator.next();
    console.log(`Evento generado: ${event.type} - ${event.product}`);
    const { counted } = processor.add(event);
    if (counted !== null) show([counted]);
    show(processor.advance());
    if (config.paced)
      await sleep(1000 / ratePerSecond, undefined, { signal: service.stopping }).catch(() => {});
    // Unpaced, the loop still yields now and then, so that Ctrl+C is heard.
    else if (simulator.count % 1000 === 0) await setImmediate();
    if (service.stopping.aborted) return;
  }
  console.log(`${finish()}.`);
}

/** A member of the consumer group: windows closed by the watermark after each batch, published, then committed. */
async function withKafka(): Promise<void> {
  const groupId = envString('ECOMMERCE_GROUP', 'procesador-ecommerce');
  const kafka = createKafka('procesador-ecommerce', SERVICE_RETRY);
  const producer = createAckedProducer(kafka);
  /** Per owned partition: the next offset to read and one past the newest record, to hold the watermark. */
  let positions: Promise<Map<number, { next: bigint; high: bigint }>> = Promise.resolve(new Map());
  let published = 0;
  let unreadable = 0;
  console.log(
    `${service.name}: ${topics.ecommerce} at ${kafkaBrokers().join(',')} in group ${groupId}, windows to ${topics.ecommerceResults}; ${describeWindows()}; Ctrl+C to stop`,
  );

  const eachBatch = async (payload: EachBatchPayload) => {
    const { batch } = payload;
    const counted: CommerceWindow[] = [];
    for (const message of batch.messages) {
      const event = readCommerceEvent(message.value);
      if (event instanceof MessageError) {
        unreadable++;
        console.error(
          printable(
            `skipped ${batch.topic} [${batch.partition}] @ ${message.offset}: ${event.message}`,
          ),
        );
        continue;
      }
      const added = processor.add(event, { partition: batch.partition, offset: message.offset });
      if (added.late) {
        console.log(
          printable(
            `late event ${event.id} of ${event.user} at ${formatUtc(event.time)}: its windows had closed, left out`,
          ),
        );
      }
      if (added.counted !== null) counted.push(added.counted);
    }
    const known = await positions;
    const last = batch.lastOffset();
    known.set(batch.partition, { next: BigInt(last) + 1n, high: BigInt(batch.highWatermark) });
    const behind = [...known].filter(([, p]) => p.next < p.high).map(([partition]) => partition);
    const closed = [...counted, ...processor.advance(behind)];
    console.log(
      `Batch: ${batch.topic} [${batch.partition}] @ ${batch.firstOffset()}–${last}, ${plural(batch.messages.length, 'record')}, watermark ${watermarkText()}`,
    );
    show(closed);
    if (closed.length > 0) {
      try {
        await producer.send(
          topics.ecommerceResults,
          closed.map((window) => windowRecord(window)),
        );
      } catch (error) {
        throw failedStep(
          `could not publish ${plural(closed.length, 'window')} to ${topics.ecommerceResults}: ${kafkaError(error).message}; retrying the batch`,
          error,
        );
      }
      published += closed.length;
      for (const window of closed)
        console.log(`published ${window.pattern} ${describeSpan(window)}`);
    }
    payload.resolveOffset(last);
    await payload.commitOffsetsIfNecessary();
  };

  await consumeAsService(service, {
    kafka,
    groupId,
    topic: topics.ecommerce,
    sessionTimeoutMs: kafkaSessionTimeoutMs(),
    eachBatch,
    onJoin: (partitions) => {
      positions = committedOffsets(kafka, groupId, topics.ecommerce, partitions).then(
        ({ committed }) =>
          new Map(
            committed.map((p) => [
              p.partition,
              { next: BigInt(p.offset ?? p.low), high: BigInt(p.high) },
            ]),
          ),
        (error: unknown) => {
          // Without the end offsets the watermark is held only by partitions read so far.
          console.error(
            `could not read the end offsets of ${topics.ecommerce}: ${kafkaError(error).message}`,
          );
          return new Map();
        },
      );
    },
    onStop: async () => {
      await producer.close();
      console.log(formatTotals(processor.totals).join('\n'));
      return `${plural(published, 'window')} published, ${plural(processor.lateCount, 'late event')}, ${plural(unreadable, 'unreadable record')} this run`;
    },
  });
}
