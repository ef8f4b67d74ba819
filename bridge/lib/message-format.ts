import avro from 'avsc';
import { ConfigError, MessageError } from '../../src/core/errors.ts';
import {
  MAX_MESSAGE_BYTES,
  quakeFromMessage,
  readMessage,
  toMessage,
} from '../../src/core/message.ts';
import { avroSchema } from '../../src/core/message-schema.ts';
import type { Quake } from '../../src/core/quake.ts';
import { frameRecord, unframeRecord } from '../../src/core/wire-format.ts';
import { envString } from './env.ts';
import { SchemaRegistry } from './schema-registry.ts';

/** How the quake topic's records are written: the course's JSON, or Avro in the registry's wire format. */
export type MessageFormat = 'json' | 'avro';

/** MESSAGE_FORMAT, or the --format flag when given; a ConfigError names a format that is neither. */
export function messageFormat(flag?: string): MessageFormat {
  const raw = flag ?? envString('MESSAGE_FORMAT', 'json');
  if (raw === 'json' || raw === 'avro') return raw;
  throw new ConfigError(
    'CONFIG_FORMAT',
    `${flag === undefined ? 'MESSAGE_FORMAT' : '--format'} must be json or avro, got "${raw}"`,
  );
}

/** The schema registry's Confluent-compatible API, SCHEMA_REGISTRY_URL (npm run registry:local's by default). */
export function schemaRegistry(): SchemaRegistry {
  return new SchemaRegistry(
    envString('SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7'),
  );
}

/** The subject a topic's record values are registered under (Confluent's TopicNameStrategy). */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/**
 * Reads the quake topic's record values in `format` into quakes, with the same validation
 * whatever the format (quakeFromMessage). An unreadable record is a MessageError (poison, never
 * retried); a registry that cannot be asked throws its RegistryError, which is retriable.
 */
export class MessageReader {
  readonly format: MessageFormat;
  readonly #registry: SchemaRegistry | null;
  readonly #types = new Map<number, avro.Type | MessageError>();

  constructor(format: MessageFormat, registry: SchemaRegistry | null = null) {
    if (format === 'avro' && registry === null)
      throw new Error('reading Avro records needs a schema registry');
    this.format = format;
    this.#registry = registry;
  }

  async read(value: Uint8Array | null, now: number): Promise<Quake | MessageError> {
    if (this.format === 'json') return readMessage(value, now);
    try {
      return quakeFromMessage(await this.decode(value), now);
    } catch (error) {
      if (error instanceof MessageError) return error;
      throw error;
    }
  }

  /** The Avro record in `value` as the plain object its writer's schema describes. */
  async decode(value: Uint8Array | null): Promise<unknown> {
    const { schemaId, body } = unframeRecord(value);
    if (body.length > MAX_MESSAGE_BYTES) {
      throw new MessageError(
        'MESSAGE_TOO_LARGE',
        `Avro message of ${body.length} bytes is larger than the ${MAX_MESSAGE_BYTES} bytes a message may have`,
        null,
        null,
      );
    }
    const type = await this.#writerType(schemaId);
    if (type instanceof MessageError) throw type;
    try {
      return type.fromBuffer(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    } catch (error) {
      throw new MessageError(
        'MESSAGE_BAD_AVRO',
        `Avro body of ${body.length} bytes does not decode with schema ${schemaId} (${(error as Error).message})`,
        null,
        null,
      );
    }
  }

  async #writerType(schemaId: number): Promise<avro.Type | MessageError> {
    const known = this.#types.get(schemaId);
    if (known !== undefined) return known;
    const schema = await (this.#registry as SchemaRegistry).schema(schemaId);
    let type: avro.Type | MessageError;
    if (schema === null) {
      type = new MessageError(
        'MESSAGE_UNKNOWN_SCHEMA',
        `schema id ${schemaId} is not in the schema registry at ${(this.#registry as SchemaRegistry).url}: the record was written against another registry`,
        null,
        schemaId,
      );
    } else {
      try {
        type = avro.Type.forSchema(JSON.parse(schema));
      } catch (error) {
        type = new MessageError(
          'MESSAGE_BAD_AVRO',
          `schema id ${schemaId} is not an Avro schema (${(error as Error).message})`,
          null,
          schemaId,
        );
      }
    }
    // An id's schema never changes; an unknown one is remembered too, so poison costs one request.
    this.#types.set(schemaId, type);
    return type;
  }
}

/** The schema our producer writes with: the latest version of the message. */
export const WRITER_SCHEMA = JSON.stringify(avroSchema(2));
const writerType = avro.Type.forSchema(avroSchema(2) as avro.Schema);

/** Writes quakes as Avro records framed with the id `register` got from the registry. */
export class AvroWriter {
  readonly #registry: SchemaRegistry;
  readonly #subject: string;
  #schemaId: number | null = null;

  constructor(registry: SchemaRegistry, topic: string) {
    this.#registry = registry;
    this.#subject = valueSubject(topic);
  }

  /** Registers the writer's schema (once); throws RegistryError when the registry refuses it. */
  async register(): Promise<number> {
    this.#schemaId ??= await this.#registry.register(this.#subject, WRITER_SCHEMA);
    return this.#schemaId;
  }

  /** The record value of `quake`; register() must have succeeded first. */
  encode(quake: Quake): Buffer {
    if (this.#schemaId === null) throw new Error('AvroWriter.encode before register()');
    return Buffer.from(frameRecord(this.#schemaId, writerType.toBuffer(toMessage(quake))));
  }
}
