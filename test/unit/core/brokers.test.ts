import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBrokers } from '../../../src/core/brokers.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { runs } from '../../helpers/seed.ts';

const host = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\.[a-z0-9-]{1,10}){0,3}$/),
  fc.ipV4(),
  fc.ipV6().map((address) => `[${address}]`),
);
const port = fc.integer({ min: 1, max: 65535 });
const broker = fc.tuple(host, port).map(([h, p]) => `${h}:${p}`);

/** The message parseBrokers refuses `text` with (it must refuse it). */
function refusal(text: string): string {
  try {
    parseBrokers('KAFKA_BROKERS', text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('parseBrokers', () => {
  it('accepts any list of host:port entries, spaces around them ignored, in order', () => {
    fc.assert(
      fc.property(
        fc.array(broker, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (list, spaced) => {
          const text = list.join(spaced ? ' , ' : ',');
          expect(parseBrokers('KAFKA_BROKERS', text)).toEqual(list);
        },
      ),
      runs(300),
    );
  });

  it('refuses an entry without a port in one line naming the variable, the entry and the fix', () => {
    expect(refusal('kafka')).toBe(
      'KAFKA_BROKERS has "kafka", a host without a port; set KAFKA_BROKERS to host:port entries separated by commas, e.g. localhost:9092 or kafka-1:9092,kafka-2:9092',
    );
    fc.assert(
      fc.property(fc.array(broker, { maxLength: 3 }), host, fc.nat(3), (list, bare, at) => {
        const entries = [...list];
        entries.splice(Math.min(at, entries.length), 0, bare);
        const message = refusal(entries.join(','));
        expect(message).toContain(`"${bare}", a host without a port`);
        expect(message.split('\n')).toHaveLength(1);
      }),
      runs(200),
    );
  });

  it('refuses ports out of range, empty entries and lists, and what is no host at all', () => {
    for (const bad of ['kafka:0', 'kafka:65536', 'kafka:', 'kafka:9092x', 'kafka:-1']) {
      expect(refusal(bad)).toContain(`"${bad}"`);
    }
    expect(refusal('a:1,,b:2')).toContain('an empty entry');
    expect(refusal('')).toMatch(/^KAFKA_BROKERS names no broker; set KAFKA_BROKERS to/);
    expect(refusal(' , ')).toMatch(/^KAFKA_BROKERS names no broker/);
    expect(refusal('http://kafka:9092')).toContain('not a host name or address followed by :port');
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((text) => /[^A-Za-z0-9._\-:,[\]\s]/.test(text)),
        (junk) => {
          expect(refusal(`${junk}:9092`)).toMatch(/^KAFKA_BROKERS has "/);
        },
      ),
      runs(200),
    );
  });
});
