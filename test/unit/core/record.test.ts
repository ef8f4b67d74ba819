import { describe, expect, it } from 'vitest';
import { MessageError } from '../../../src/core/errors.ts';
import { encodeMessage } from '../../../src/core/message.ts';
import { MAX_MESSAGE_BYTES, readQuakeRecord } from '../../../src/core/record.ts';
import { catchError } from '../../helpers/catch.ts';
import { makeQuake } from '../../helpers/quake.ts';

describe('readQuakeRecord', () => {
  it('reads a challenge-4 message like decodeMessage', () => {
    const quake = makeQuake();
    expect(readQuakeRecord(new TextEncoder().encode(encodeMessage(quake)))).toEqual(quake);
  });

  it('refuses a value over the size limit before parsing it, naming both sizes', () => {
    const huge = encodeMessage(makeQuake({ place: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    const error = catchError(() => readQuakeRecord(Buffer.from(huge)));
    expect(error).toBeInstanceOf(MessageError);
    expect(error).toMatchObject({ code: 'MESSAGE_TOO_LARGE', retriable: false });
    expect((error as Error).message).toBe(
      `message of ${huge.length} bytes is larger than the 65536 bytes a quake message may have`,
    );
    expect(catchError(() => readQuakeRecord('ñ'.repeat(40), 64))).toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
    });
  });

  it('passes the other poison errors of decodeMessage through', () => {
    expect(catchError(() => readQuakeRecord(null))).toMatchObject({ code: 'MESSAGE_EMPTY' });
    expect(catchError(() => readQuakeRecord(Uint8Array.of(0xff, 0xfe)))).toMatchObject({
      code: 'MESSAGE_NOT_UTF8',
    });
  });
});
