import { describeValue, MessageError } from './errors.ts';

/**
 * The schema registry's wire format (Confluent's, which Apicurio's ccompat API shares): a record
 * value is the magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro body.
 */
export const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

/** A record value in the wire format, for the schema registered as `schemaId`. */
export function frameRecord(schemaId: number, body: Uint8Array): Uint8Array {
  const framed = new Uint8Array(HEADER_BYTES + body.length);
  const view = new DataView(framed.buffer);
  view.setUint8(0, MAGIC_BYTE);
  view.setUint32(1, schemaId);
  framed.set(body, HEADER_BYTES);
  return framed;
}

/**
 * The schema id and Avro body of a record value; MessageError MESSAGE_NOT_AVRO for a value that
 * is not in the wire format (a JSON message on the Avro topic, say).
 */
export function unframeRecord(value: Uint8Array | null | undefined): {
  schemaId: number;
  body: Uint8Array;
} {
  if (value == null || value.length === 0) {
    throw new MessageError('MESSAGE_EMPTY', 'Avro message has no value', null, value);
  }
  if (value[0] !== MAGIC_BYTE || value.length < HEADER_BYTES) {
    // A JSON message starts with "{": say so, since that is the usual mistake.
    const looksJson = value[0] === 0x7b;
    const what = looksJson
      ? `a JSON message on an Avro topic (${describeValue(new TextDecoder().decode(value.subarray(0, 80)))})`
      : `${value.length} bytes starting with 0x${value[0]?.toString(16).padStart(2, '0')}`;
    throw new MessageError(
      'MESSAGE_NOT_AVRO',
      `value is not in the schema registry's wire format (magic byte 0, 4-byte schema id, Avro body): ${what}; publish it with --format avro or to the JSON topic`,
      null,
      null,
    );
  }
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return { schemaId: view.getUint32(1), body: value.subarray(HEADER_BYTES) };
}
