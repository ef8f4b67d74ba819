/**
 * Every error Sismos raises on purpose. `code` is stable so callers can branch on it;
 * `retriable` tells retry loops whether trying again can help: the poll loops back off and poll
 * again only after a retriable error, the Kafka services' connect loop retries only a retriable
 * KafkaError, and kafkajs reads the same flag on an error a batch handler throws.
 */
export class SismosError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, retriable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.retriable = retriable;
  }
}

/** True for an error Sismos raised on purpose that trying again may cure. */
export function isRetriable(error: unknown): error is SismosError {
  return error instanceof SismosError && error.retriable;
}

type FeedErrorCode =
  | 'FEED_NOT_JSON'
  | 'FEED_NOT_COLLECTION'
  | 'FEED_HTTP'
  | 'FEED_TIMEOUT'
  | 'FEED_NETWORK';

/** A USGS feed that could not be fetched or is not a GeoJSON FeatureCollection at all. */
export class FeedError extends SismosError {
  declare readonly code: FeedErrorCode;

  constructor(code: FeedErrorCode, message: string, options?: ErrorOptions) {
    // A feed that is broken now may be fixed at the next regeneration, so every feed error is retriable.
    super(code, message, true, options);
  }
}

type MessageErrorCode =
  | 'MESSAGE_EMPTY'
  | 'MESSAGE_TOO_LARGE'
  | 'MESSAGE_NOT_UTF8'
  | 'MESSAGE_NOT_JSON'
  | 'MESSAGE_BAD_FIELD'
  | 'MESSAGE_NOT_AVRO'
  | 'MESSAGE_UNKNOWN_SCHEMA'
  | 'MESSAGE_BAD_AVRO';

/** A Kafka record whose value is not a valid challenge-4 message. Retrying never helps. */
export class MessageError extends SismosError {
  declare readonly code: MessageErrorCode;
  /** The offending field of the message, or null when the value as a whole is unreadable. */
  readonly field: string | null;
  readonly value: unknown;

  constructor(code: MessageErrorCode, message: string, field: string | null, value: unknown) {
    super(code, message, false);
    this.field = field;
    this.value = value;
  }
}

type CheckpointErrorCode = 'CHECKPOINT_WINDOW_MISMATCH';

/** Committed stats progress this run cannot resume from (it was counted differently). Retrying never helps. */
export class CheckpointError extends SismosError {
  declare readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string) {
    super(code, message, false);
  }
}

type ConfigErrorCode = 'CONFIG_RANGE' | 'CONFIG_FEED' | 'CONFIG_FLAG' | 'CONFIG_FORMAT';

/** A setting (environment variable or flag) a command cannot start with. Retrying never helps. */
export class ConfigError extends SismosError {
  declare readonly code: ConfigErrorCode;

  constructor(code: ConfigErrorCode, message: string) {
    super(code, message, false);
  }
}

type ProtocolErrorCode =
  | 'PROTOCOL_BINARY'
  | 'PROTOCOL_NOT_JSON'
  | 'PROTOCOL_NOT_SUBSCRIBE'
  | 'PROTOCOL_BAD_CURSOR'
  | 'PROTOCOL_BAD_FILTERS'
  | 'PROTOCOL_BAD_VERSION'
  | 'PROTOCOL_BAD_FRAME';

/** A WebSocket frame or connection parameters that are not the protocol (docs/protocol.md). */
export class ProtocolError extends SismosError {
  declare readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(code, message, false);
  }
}

const MAX_DESCRIBED = 60;

/** A short, printable description of an untrusted value for error messages: type and a clipped rendering. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'number') return `number ${String(value)}`;
  if (typeof value === 'string') return `string ${JSON.stringify(clip(value))}`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${clip(String(value))}`;
}

/** `text` cut to a length an error message can show. */
export function clip(text: string): string {
  return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED)}…` : text;
}
