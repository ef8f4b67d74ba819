import type { SismoMessage } from './message.ts';

/**
 * The challenge-4 message as a contract: one table of its fields, from which the Avro and JSON
 * Schema files in schemas/ are generated (`npm run schemas`). The table's types are checked
 * against SismoMessage by the compiler, so the TypeScript definition and the schemas never drift.
 */

/** A contract version: 1 is the course's eight fields, 2 adds the documented extras. */
export type SchemaVersion = 1 | 2;
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [1, 2];

/** The TypeScript type of a message field, spelled as the table spells it. */
type FieldType<T> = [T] extends [boolean]
  ? 'boolean'
  : [T] extends [string]
    ? 'string'
    : [T] extends [number]
      ? 'double'
      : [T] extends [string | null]
        ? 'string | null'
        : [T] extends [number | null]
          ? 'double | null'
          : never;

interface Field<T> {
  readonly type: FieldType<T>;
  /** The first version with this field; fields added later are optional, null by default. */
  readonly since: SchemaVersion;
  readonly doc: string;
}

/** Every field of SismoMessage, in the course's order, then the extras in the README's order. */
export const MESSAGE_FIELDS: { readonly [K in keyof SismoMessage]: Field<SismoMessage[K]> } = {
  id: { type: 'string', since: 1, doc: 'USGS event id, also the record key.' },
  magnitud: { type: 'double | null', since: 1, doc: 'Magnitude; null when USGS has none yet.' },
  lugar: { type: 'string | null', since: 1, doc: 'USGS place text, e.g. "10 km SSW of Ovalle".' },
  latitud: { type: 'double', since: 1, doc: 'Degrees, -90 to 90.' },
  longitud: { type: 'double', since: 1, doc: 'Degrees, -180 to 180.' },
  profundidad_km: { type: 'double | null', since: 1, doc: 'Depth in km; null when unknown.' },
  timestamp: { type: 'string', since: 1, doc: 'Origin time, ISO 8601 UTC with milliseconds.' },
  tsunami: { type: 'boolean', since: 1, doc: 'USGS tsunami flag.' },
  actualizado: {
    type: 'string',
    since: 2,
    doc: 'Time of this revision, ISO 8601 UTC; a later one replaces an earlier record.',
  },
  tipo_magnitud: { type: 'string | null', since: 2, doc: 'Magnitude type, e.g. "mww".' },
  tipo_evento: { type: 'string', since: 2, doc: 'Event type; "earthquake" when absent.' },
  estado: { type: 'string | null', since: 2, doc: '"automatic" or "reviewed".' },
  url: { type: 'string | null', since: 2, doc: 'USGS event page, http(s).' },
};

/** The names of the fields of `version`, in the table's order. */
export function fieldNames(version: SchemaVersion): (keyof SismoMessage)[] {
  return (Object.keys(MESSAGE_FIELDS) as (keyof SismoMessage)[]).filter(
    (name) => MESSAGE_FIELDS[name].since <= version,
  );
}

/** The Avro record name and namespace every version shares: a reader resolves by full name. */
export const AVRO_NAME = 'sismos.Sismo';

/** The message as an Avro record schema. */
export function avroSchema(version: SchemaVersion): Record<string, unknown> {
  return {
    type: 'record',
    name: 'Sismo',
    namespace: 'sismos',
    doc: `The challenge-4 quake message, version ${version}.`,
    fields: fieldNames(version).map((name) => {
      const { type, since, doc } = MESSAGE_FIELDS[name];
      const base = type.replace(' | null', '');
      // A field added after version 1 must have a default, or readers of old records break.
      if (since > 1) return { name, type: ['null', base], default: null, doc };
      return { name, type: type.endsWith('| null') ? ['null', base] : base, doc };
    }),
  };
}

const JSON_TYPES = { string: 'string', double: 'number', boolean: 'boolean' } as const;

/**
 * The message as a JSON Schema (draft 2020-12); later fields are optional and may be null, and
 * other properties are allowed, so a reader of one version accepts the messages of the next.
 */
export function jsonSchema(version: SchemaVersion): Record<string, unknown> {
  const names = fieldNames(version);
  const properties = Object.fromEntries(
    names.map((name) => {
      const { type, since, doc } = MESSAGE_FIELDS[name];
      const base = JSON_TYPES[type.replace(' | null', '') as keyof typeof JSON_TYPES];
      const nullable = since > 1 || type.endsWith('| null');
      return [name, { type: nullable ? [base, 'null'] : base, description: doc }];
    }),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Sismo',
    description: `The challenge-4 quake message, version ${version}.`,
    type: 'object',
    properties,
    required: names.filter((name) => MESSAGE_FIELDS[name].since === 1),
  };
}

/** The schema files under schemas/, by file name, as `npm run schemas` writes them. */
export function schemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const version of SCHEMA_VERSIONS) {
    files[`sismo-v${version}.avsc`] = `${JSON.stringify(avroSchema(version), null, 2)}\n`;
    files[`sismo-v${version}.schema.json`] = `${JSON.stringify(jsonSchema(version), null, 2)}\n`;
  }
  return files;
}
