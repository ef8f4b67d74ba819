import {
  type Kafka,
  type Message,
  Partitioners,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';
import { SERVICE_RETRY } from './kafka.ts';

/** A producer for services that must neither lose nor duplicate a record. */
export interface AckedProducer {
  /**
   * Sends `messages` to `topic` and resolves once the broker acknowledged all of them. When it
   * rejects, some may have been stored anyway: read the topic back before sending them again.
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
        return await (await connected()).send({ topic, acks: -1, messages });
      } catch (error) {
        await drop();
        throw error;
      }
    },
    close: drop,
  };
}
