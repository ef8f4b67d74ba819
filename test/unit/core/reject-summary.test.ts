import { describe, expect, it } from 'vitest';
import { MessageError } from '../../../src/core/errors.ts';
import { readMessage } from '../../../src/core/message.ts';
import { RejectSummary } from '../../../src/core/reject-summary.ts';

const T0 = Date.UTC(2024, 0, 15, 10, 30);
const HEADING = "; send messages as README.md's message format says:";

/** The MessageError readMessage gives for `value`. */
function rejection(value: string): MessageError {
  const error = readMessage(value, T0);
  if (!(error instanceof MessageError)) throw new Error(`${value} was read as a quake`);
  return error;
}

const notJson = (i: number) => rejection(`not json ${i}`);
const badTsunami = (i: number) =>
  rejection(
    JSON.stringify({
      id: `q${i}`,
      magnitud: 5,
      lugar: null,
      latitud: 0,
      longitud: 0,
      profundidad_km: 10,
      timestamp: '2024-01-15T10:00:00Z',
      tsunami: `no ${i}`,
    }),
  );

describe('RejectSummary', () => {
  it('reports the first rejection at once, then a thousand more in a few lines when the interval has passed', () => {
    const summary = new RejectSummary('of sismos, copied to sismos-dlq', 60_000);
    summary.add(notJson(0), 'sismos [0] @ 0');
    expect(summary.due(T0)).toEqual([
      `rejected 1 record of sismos, copied to sismos-dlq${HEADING}`,
      '  1 × message is not JSON: string "not json 0" (first: sismos [0] @ 0)',
    ]);
    for (let i = 1; i <= 1000; i++) {
      if (i % 4 === 0) summary.add(notJson(i), `sismos [0] @ ${i}`);
      else summary.add(badTsunami(i), `sismos [1] @ ${i}`);
      expect(summary.due(T0 + i)).toEqual([]);
    }
    expect(summary.due(T0 + 60_000)).toEqual([
      `rejected 1000 records of sismos, copied to sismos-dlq${HEADING}`,
      '  750 × field "tsunami" must be true/false, 0/1, or null, got string "no 1" (first: sismos [1] @ 1)',
      '  250 × message is not JSON: string "not json 4" (first: sismos [0] @ 4)',
    ]);
    expect(summary.report(T0 + 60_001)).toEqual([]);
  });

  it('reports what is left when asked, whether due or not', () => {
    const summary = new RejectSummary('of sismos, left out');
    summary.add(notJson(0), 'sismos [0] @ 0');
    summary.due(T0);
    summary.add(notJson(1), 'sismos [0] @ 1');
    expect(summary.due(T0 + 1)).toEqual([]);
    expect(summary.report(T0 + 1)).toHaveLength(2);
  });

  it('keeps at most twenty reasons apart, the rest counted together, so memory stays bounded', () => {
    const summary = new RejectSummary('of sismos, left out');
    for (let i = 0; i < 100; i++) {
      summary.add(
        new MessageError('MESSAGE_BAD_FIELD', `field "f${i}" is wrong`, `f${i}`, i),
        `sismos [0] @ ${i}`,
      );
    }
    const lines = summary.report(T0);
    expect(lines).toHaveLength(22);
    expect(lines).toContain(
      '  80 × other reasons, such as: field "f20" is wrong (first: sismos [0] @ 20)',
    );
  });
});
