import { describe, expect, it } from 'vitest';
import type { MessageError } from '../../../src/core/errors.ts';
import { frameRecord, unframeRecord } from '../../../src/core/wire-format.ts';
import { catchError as caught } from '../../helpers/catch.ts';

const catchError = (run: () => unknown) => caught(run) as MessageError;

describe('the wire format', () => {
  it('frames a body with magic byte 0 and the schema id, big-endian, and reads both back', () => {
    const framed = frameRecord(0x01020304, Uint8Array.of(9, 8, 7));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 9, 8, 7]);
    const { schemaId, body } = unframeRecord(framed);
    expect(schemaId).toBe(0x01020304);
    expect([...body]).toEqual([9, 8, 7]);
  });

  it('refuses a JSON message, saying it is JSON on an Avro topic', () => {
    const json = new TextEncoder().encode('{"id":"us1","magnitud":4.5}');
    const error = catchError(() => unframeRecord(json));
    expect(error.code).toBe('MESSAGE_NOT_AVRO');
    expect(error.message).toContain('a JSON message on an Avro topic');
  });

  it('refuses a value shorter than the header, and an empty one', () => {
    expect(catchError(() => unframeRecord(Uint8Array.of(0, 0, 1))).code).toBe('MESSAGE_NOT_AVRO');
    expect(catchError(() => unframeRecord(new Uint8Array(0))).code).toBe('MESSAGE_EMPTY');
  });
});
