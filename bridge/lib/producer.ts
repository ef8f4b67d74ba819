import {
  type Kafka,
  type Message,
  Partitioners,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';
import { SERVICE_RETRY } from './kafka.ts';

/**
 * Most bytes of keys and values (plus an allowance per record) in one produce request. A broker
 * refuses a record batch over its message.max.bytes (1 MiB by default) and kafkajs puts a whole
 * send() for one partition in one batch, so a 20,000-quake feed (8 MB) must go in several sends.
 */
export const MAX_SEND_BYTES = 900_000;
/** Record framing within a batch (lengths, offsets, timestamp, headers count), rounded up. */
const RECORD_OVERHEAD = 64;

/** Splits messages, in order, into runs of at most `maxBytes` (a larger message goes alone). */
export function chunkBySize(messages: readonly Message[], maxBytes = MAX_SEND_BYTES): Message[][] {
  const chunks: Message[][] = [];
  let chunk: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = byteSize(message.key) + byteSize(message.value) + RECORD_OVERHEAD;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function byteSize(data: Message['value'] | Message['key']): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

/** A producer for services that must neither lose nor duplicate a record. */
export interface AckedProducer {
  /**
   * Sends `messages` to `topic`, in order and in requests of at most MAX_SEND_BYTES, and resolves
   * once the broker acknowledged all of them. When it rejects, some may have been stored anyway:
   * read the topic back before sending them again.
   */
  send(topic: string, messages: Message[]): Promise<RecordMetadata[]>;
  /** Disconnects after the sends in progress finished. */
  close(): Promise<void>;
}

/**
 * An idempotent producer with acks=all (the broker writes each batch once even when kafkajs
 * retries it), connected on first use and discarded after any failure, so the next send starts
 * with a new producer id instead of sequence numbers the broker may no longer agree with.
 */
export function createAckedProducer(kafka: Kafka): AckedProducer {
  let producer: Producer | null = null;

  const connected = async (): Promise<Producer> => {
    if (producer !== null) return producer;
    const fresh = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: SERVICE_RETRY.retry,
    });
    try {
      await fresh.connect();
    } catch (error) {
      await fresh.disconnect().catch(() => {});
      throw error;
    }
    producer = fresh;
    return fresh;
  };

  const drop = async () => {
    const old = producer;
    producer = null;
    await old?.disconnect().catch(() => {});
  };

  return {
    async send(topic, messages) {
      try {
        const reports: RecordMetadata[] = [];
        for (const chunk of chunkBySize(messages)) {
          reports.push(...(await (await connected()).send({ topic, acks: -1, messages: chunk })));
        }
        return reports;
      } catch (error) {
        await drop();
        throw error;
      }
    },
    close: drop,
  };
}
