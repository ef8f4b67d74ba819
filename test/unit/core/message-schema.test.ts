import { readFileSync } from 'node:fs';
import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quakeFromMessage, toMessage } from '../../../src/core/message.ts';
import { avroSchema, jsonSchema, schemaFiles } from '../../../src/core/message-schema.ts';
import type { Quake } from '../../../src/core/quake.ts';
import { MESSAGE_FIELDS } from '../../helpers/quake.ts';
import { runs } from '../../helpers/seed.ts';

const NOW = Date.UTC(2026, 0, 1);
const text = fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: null });
const time = fc.integer({ min: Date.UTC(1900, 0, 1), max: NOW });
/** Quakes as the feed parser makes them: any that quakeFromMessage accepts back. */
const quakes: fc.Arbitrary<Quake> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
  time,
  updated: time,
  mag: fc.option(fc.double({ min: -2, max: 10.5, noNaN: true }), { nil: null }),
  magType: text,
  place: text,
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
  depth: fc.option(fc.double({ min: -10, max: 1000, noNaN: true }), { nil: null }),
  tsunami: fc.boolean(),
  status: fc.constantFrom(null, 'automatic', 'reviewed'),
  type: fc.constantFrom('earthquake', 'quarry blast'),
  url: fc.constantFrom(null, 'https://earthquake.usgs.gov/earthquakes/eventpage/us7000abcd'),
  alert: fc.constant(null),
  // The message carries no impact figures: a quake read from Kafka has none.
  felt: fc.constant(null),
  cdi: fc.constant(null),
  mmi: fc.constant(null),
  tz: fc.constant(null),
});

const v1 = avro.Type.forSchema(avroSchema(1) as avro.Schema);
const v2 = avro.Type.forSchema(avroSchema(2) as avro.Schema);

/** The JSON types a value has, as JSON Schema names them. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return 'number';
  return typeof value;
}

describe('the message schemas', () => {
  it('are the files in schemas/, so the table, the TypeScript type and the files never drift', () => {
    for (const [name, generated] of Object.entries(schemaFiles())) {
      expect(readFileSync(new URL(`../../../schemas/${name}`, import.meta.url), 'utf8')).toBe(
        generated,
      );
    }
  });

  it('version 1 holds the eight fields of the course, version 2 every field of the message', () => {
    const names = (v: 1 | 2) =>
      (avroSchema(v).fields as { name: string }[]).map((field) => field.name);
    expect(names(1)).toEqual(MESSAGE_FIELDS.slice(0, 8));
    expect(names(2)).toEqual(MESSAGE_FIELDS);
    expect(jsonSchema(1).required).toEqual(MESSAGE_FIELDS.slice(0, 8));
    expect(jsonSchema(2).required).toEqual(MESSAGE_FIELDS.slice(0, 8));
  });

  it('every message of a quake is valid Avro of version 2 and reads back as the same quake', () => {
    fc.assert(
      fc.property(quakes, (quake) => {
        const message = toMessage(quake);
        expect(v2.isValid(message)).toBe(true);
        const back = quakeFromMessage(v2.fromBuffer(v2.toBuffer(message)), NOW);
        expect(back).toEqual(quakeFromMessage(message, NOW));
      }),
      runs(200),
    );
  });

  it('every message of a quake has the JSON types its JSON Schema names, and all required fields', () => {
    const schema = jsonSchema(2);
    const properties = schema.properties as Record<string, { type: string | string[] }>;
    fc.assert(
      fc.property(quakes, (quake) => {
        const message = toMessage(quake) as unknown as Record<string, unknown>;
        for (const name of schema.required as string[]) expect(message).toHaveProperty(name);
        for (const [name, value] of Object.entries(message)) {
          const allowed = [properties[name]?.type ?? 'absent from the schema'].flat();
          expect(allowed, name).toContain(jsonType(value));
        }
      }),
      runs(200),
    );
  });

  it('version 2 is backward compatible: it reads records written with version 1, extras null', () => {
    const resolver = v2.createResolver(v1);
    fc.assert(
      fc.property(quakes, (quake) => {
        const message = toMessage(quake);
        const old = Object.fromEntries(
          MESSAGE_FIELDS.slice(0, 8).map((name) => [name, message[name as keyof typeof message]]),
        );
        const read = v2.fromBuffer(v1.toBuffer(old), resolver);
        expect(read).toMatchObject({ ...old, actualizado: null, url: null, tipo_evento: null });
        const back = quakeFromMessage(read, NOW);
        expect([back.id, back.time, back.updated, back.type]).toEqual([
          quake.id,
          quake.time,
          quake.time,
          'earthquake',
        ]);
      }),
      runs(100),
    );
  });
});
