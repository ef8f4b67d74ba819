import { encodeMessage } from '../../src/core/message.ts';
import { makeQuake } from './quake.ts';

/** Kafka refuses records over about 1 MB unless the topic allows more: the poison topics do. */
export const LARGE_RECORDS = { 'max.message.bytes': String(2 * 1024 * 1024) };

/** One record no Sismos reader can use, and the reason it must give (after "message"/"stats message"). */
export interface Poison {
  readonly key: string;
  readonly value: Buffer | string | null;
  readonly code: string;
  readonly reason: string;
}

/**
 * One poison record of each kind, for a topic of quake messages or of stats messages: bytes that
 * are not UTF-8, a 1 MB value, a value of the wrong schema, no value (a tombstone), text that is
 * not JSON, and JSON that is not an object.
 */
export function poisonRecords(topic: 'quake' | 'stats'): Poison[] {
  const what = topic === 'quake' ? 'message' : 'stats message';
  const oneMb = JSON.stringify({ id: 'big', lugar: 'x'.repeat(1024 * 1024) });
  return [
    {
      key: 'not-utf8',
      value: Buffer.from([0xff, 0xfe, 0x7b, 0xc3]),
      code: 'MESSAGE_NOT_UTF8',
      reason: `${what} is not UTF-8 text`,
    },
    {
      key: 'one-mb',
      value: oneMb,
      code: 'MESSAGE_TOO_LARGE',
      reason: `${what} of ${oneMb.length} bytes is larger than the 65536 bytes a ${what} may have`,
    },
    topic === 'quake'
      ? {
          key: 'wrong-schema',
          value: JSON.stringify({ ...JSON.parse(encodeMessage(makeQuake())), magnitud: '5.2' }),
          code: 'MESSAGE_BAD_FIELD',
          reason: 'field "magnitud" must be a magnitude from -2 to 10.5 or null, got string "5.2"',
        }
      : {
          key: 'wrong-schema',
          value: encodeMessage(makeQuake()),
          code: 'MESSAGE_BAD_FIELD',
          reason: 'field "inicio" must be',
        },
    { key: 'null-value', value: null, code: 'MESSAGE_EMPTY', reason: `${what} has no value` },
    {
      key: 'not-json',
      value: 'sismo fuerte!',
      code: 'MESSAGE_NOT_JSON',
      reason: `${what} is not JSON: string "sismo fuerte!"`,
    },
    {
      key: 'not-object',
      value: '[5.2]',
      code: 'MESSAGE_NOT_JSON',
      reason: `${what} is not a JSON object: array of 1`,
    },
  ];
}
