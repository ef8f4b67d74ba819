import type { KafkaMessage } from 'kafkajs';
import type { MessageError } from '../../src/core/errors.ts';
import { kafkaError } from './kafka-error.ts';
import type { AckedProducer } from './producer.ts';
import type { RejectReport } from './reject-report.ts';
import { failedStep } from './service.ts';

/** Where an unreadable record was read: its topic, partition and the record itself. */
export interface Unreadable {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly error: MessageError;
}

/**
 * Copies an unreadable record, as it was, to the dead-letter topic `dlq` (headers `sismos-error`
 * with the reason and `sismos-source` with topic/partition@offset), then counts it in `rejects`,
 * the consumer's summary of rejected records. A value larger than the dead-letter topic takes is left out of the copy (the header
 * `sismos-value-dropped` gives its size): retrying could never succeed, and the group would stall
 * on it. A failed copy throws the StepError to retry the record with.
 */
export async function deadLetter(
  producer: AckedProducer,
  dlq: string,
  { topic, partition, message, error }: Unreadable,
  rejects: RejectReport,
): Promise<void> {
  const where = `${topic} [${partition}] @ ${message.offset}`;
  const headers = {
    'sismos-error': `${error.code}: ${error.message}`,
    'sismos-source': `${topic}/${partition}@${message.offset}`,
  };
  let copied = '';
  try {
    try {
      await producer.send(dlq, [{ key: message.key, value: message.value, headers }]);
    } catch (sendError) {
      if (kafkaError(sendError).code !== 'KAFKA_TOO_LARGE') throw sendError;
      const size = `${message.value?.length ?? 0} bytes`;
      await producer.send(dlq, [
        { key: message.key, value: null, headers: { ...headers, 'sismos-value-dropped': size } },
      ]);
      copied = `, copied to ${dlq} without its value, which is larger than the topic takes`;
    }
  } catch (sendError) {
    throw failedStep(
      `cannot copy the unreadable record ${where} to ${dlq}: ${kafkaError(sendError).message}; retrying, offset not committed`,
      sendError,
    );
  }
  const key = message.key === null ? '' : ` key=${message.key.toString()}`;
  rejects.add(error, `${where}${key}${copied}`);
}
