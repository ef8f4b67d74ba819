/**
 * Hostile versions of the recorded USGS feeds for property-based tests (fast-check): a mutation is
 * a small printable description (a path and what to put there, or how to damage the text), so a
 * failing case reads well and replays from its seed; `mutateDoc` and `mutateText` build the feed.
 */
import fc from 'fast-check';
import { FeedError } from '../../src/core/errors.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import type { Quake } from '../../src/core/quake.ts';

/** A value to put somewhere in a feed; huge and deep values are built on demand, not printed. */
export type Hostile =
  | { readonly kind: 'value'; readonly value: unknown }
  /** `char` repeated `length` times. */
  | { readonly kind: 'huge'; readonly char: string; readonly length: number }
  /** `depth` nested arrays (`[[[…]]]`) or objects (`{"a":{"a":…}}`). */
  | { readonly kind: 'deep'; readonly depth: number; readonly arrays: boolean };

export type Path = readonly (string | number)[];

/** Deletes the key at `path`, or replaces what is there. */
export type DocMutation =
  | { readonly path: Path; readonly op: 'delete' }
  | { readonly path: Path; readonly op: 'set'; readonly value: Hostile };

/** Damage done to the text of a feed: positions are fractions of its length. */
export type TextMutation =
  | { readonly kind: 'truncate'; readonly at: number }
  /** Replaces the nth number of the text with a token JSON does not allow, or allows oddly. */
  | { readonly kind: 'token'; readonly nth: number; readonly token: string }
  | { readonly kind: 'splice'; readonly at: number; readonly length: number; readonly with: string }
  | { readonly kind: 'deep'; readonly at: number; readonly depth: number };

/** The property keys USGS publishes; the parser reads some, the others must not matter. */
const PROPERTY_KEYS = [
  'mag',
  'place',
  'time',
  'updated',
  'tz',
  'url',
  'detail',
  'felt',
  'cdi',
  'mmi',
  'alert',
  'status',
  'tsunami',
  'sig',
  'net',
  'code',
  'ids',
  'sources',
  'types',
  'nst',
  'dmin',
  'rms',
  'gap',
  'magType',
  'type',
  'title',
] as const;

/**
 * Numbers at and just past the edges: of a Date, of doubles, of coordinates, and of what a quake
 * may plausibly be (magnitude -2 to 10.5, depth -10 to 1000 km, times from 1900 to a day after
 * the feed was generated).
 */
const EDGE_NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0.5,
  1e300,
  -1e300,
  8.64e15,
  8.64e15 + 1,
  -8.64e15 - 1,
  2 ** 53 + 2,
  Number.MIN_VALUE,
  90.000001,
  -180.5,
  181,
  1e308,
  -2.01,
  10.51,
  -10.1,
  1000.1,
  Date.UTC(1899, 11, 31, 23, 59, 59, 999),
  -62_167_219_200_000,
  Date.UTC(3000, 0, 1),
];

/** Strings a careless reader trips on. */
const EDGE_STRINGS = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '1e999',
  '5.2',
  '\u0000',
  '\ud800',
  '\u202e\u0007',
  'javascript:alert(1)',
  'https://x y',
  '<img src=x onerror=alert(1)>',
  '__proto__',
  'FeatureCollection',
  'Point',
];

/** Small values of every JSON type, edge numbers and strings included. */
const smallJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...EDGE_NUMBERS.filter(Number.isFinite), ...EDGE_STRINGS, null, true),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * Small values a JavaScript caller could hand to parseFeed: anything JSON has, plus NaN and
 * Infinity, undefined, BigInt, symbols, dates, maps, boxed values, sparse arrays, objects without
 * a prototype.
 */
const smallJs: fc.Arbitrary<unknown> = fc.oneof(
  smallJson,
  fc.constantFrom<unknown>(...EDGE_NUMBERS, undefined, Symbol('hostile'), 10n ** 30n),
  fc.double(),
  fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
  }),
);

const huge: fc.Arbitrary<Hostile> = fc.record({
  kind: fc.constant('huge' as const),
  char: fc.constantFrom('x', 'é', '\u0000', '"', '\\', '\ud83c\udf0b'),
  length: fc.integer({ min: 10_000, max: 2_000_000 }),
});

const deep: fc.Arbitrary<Hostile> = fc.record({
  kind: fc.constant('deep' as const),
  depth: fc.integer({ min: 100, max: 100_000 }),
  arrays: fc.boolean(),
});

/** What a mutation may put in a feed decoded from text (JSON values only) or handed over as a JS object. */
export function hostileValue(json: boolean): fc.Arbitrary<Hostile> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: (json ? smallJson : smallJs).map((value) => ({ kind: 'value', value }) as const),
    },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: deep },
  );
}

/** A place in a feed of `features` features, most often inside one feature. */
function pathIn(features: number): fc.Arbitrary<Path> {
  const index = fc.nat(Math.max(0, features - 1));
  return fc.oneof(
    {
      weight: 1,
      arbitrary: fc.constantFrom<Path>(
        ['type'],
        ['metadata'],
        ['metadata', 'generated'],
        ['metadata', 'count'],
        ['metadata', 'url'],
        ['metadata', 'title'],
        ['features'],
        ['bbox'],
      ),
    },
    { weight: 1, arbitrary: index.map((i): Path => ['features', i]) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(index, fc.constantFrom('type', 'id', 'properties', 'geometry'))
        .map(([i, key]): Path => ['features', i, key]),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(index, fc.constantFrom(...PROPERTY_KEYS))
        .map(([i, key]): Path => ['features', i, 'properties', key]),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(index, fc.constantFrom('type', 'coordinates'))
        .map(([i, key]): Path => ['features', i, 'geometry', key]),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(index, fc.nat(3))
        .map(([i, j]): Path => ['features', i, 'geometry', 'coordinates', j]),
    },
  );
}

/** One to `max` mutations of a feed with `features` features. */
export function docMutations(
  features: number,
  json: boolean,
  max = 4,
): fc.Arbitrary<DocMutation[]> {
  const mutation: fc.Arbitrary<DocMutation> = fc.oneof(
    { weight: 1, arbitrary: pathIn(features).map((path) => ({ path, op: 'delete' }) as const) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(pathIn(features), hostileValue(json))
        .map(([path, value]) => ({ path, op: 'set', value }) as const),
    },
  );
  return fc.array(mutation, { minLength: 1, maxLength: max });
}

/** A position in a text, as a fraction of its length, spread evenly (doubles cluster near 0). */
const fraction = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);

const ODD_TOKENS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999',
  'undefined',
  '0x1F',
  '+1',
  '.5',
  '01',
  '1.',
  '-',
  // Times past what a message carries (year 10000) and past what a Date holds.
  '253402300800000',
  '9999999999999999',
];

/** Damage to a feed's text: truncation, invalid number tokens, garbage, deep nesting. */
export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('truncate' as const),
    at: fraction,
  }),
  fc.record({
    kind: fc.constant('token' as const),
    nth: fc.nat(10_000),
    token: fc.constantFrom(...ODD_TOKENS),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fraction,
    length: fc.nat(50),
    with: fc.string({ unit: 'binary', maxLength: 30 }),
  }),
  fc.record({
    kind: fc.constant('deep' as const),
    at: fraction,
    depth: fc.integer({ min: 1_000, max: 200_000 }),
  }),
);

/**
 * Builds the value a Hostile describes. For a feed that becomes text, a deep value is a marker
 * that feedText() writes out, since JSON.stringify cannot nest 100,000 deep.
 */
export function materialize(hostile: Hostile, forText = false): unknown {
  switch (hostile.kind) {
    case 'value':
      return hostile.value;
    case 'huge':
      return hostile.char.repeat(hostile.length);
    case 'deep': {
      if (forText) return { [DEEP]: hostile };
      let value: unknown = null;
      for (let i = 0; i < hostile.depth; i++) value = hostile.arrays ? [value] : { a: value };
      return value;
    }
  }
}

const DEEP = Symbol('deep');

/**
 * `doc` with the mutations applied, sharing everything they did not touch (nothing of `doc` is
 * changed). A path through something that is not an object or array any more is skipped.
 */
export function mutateDoc(
  doc: unknown,
  mutations: readonly DocMutation[],
  forText = false,
): unknown {
  let result = doc;
  for (const mutation of mutations) result = applyAt(result, mutation.path, mutation, forText);
  return result;
}

function applyAt(node: unknown, path: Path, mutation: DocMutation, forText: boolean): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const [key, ...rest] = path;
  if (key === undefined) return node;
  const copy = (Array.isArray(node) ? [...node] : { ...node }) as Record<string | number, unknown>;
  if (rest.length > 0) {
    if (!(key in copy)) return node;
    copy[key] = applyAt(copy[key], rest, mutation, forText);
  } else if (mutation.op === 'delete') {
    delete copy[key];
  } else {
    copy[key] = materialize(mutation.value, forText);
  }
  return copy;
}

/** Serialises a feed mutated with `forText`, writing deep values without recursion. */
function feedText(doc: unknown): string {
  const deepTexts: string[] = [];
  const text = JSON.stringify(doc, (_, value: unknown) => {
    if (typeof value === 'object' && value !== null && DEEP in value) {
      const { depth, arrays } = (value as { [DEEP]: { depth: number; arrays: boolean } })[DEEP];
      deepTexts.push(
        arrays
          ? `${'['.repeat(depth)}null${']'.repeat(depth)}`
          : `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`,
      );
      return `\u0000deep${deepTexts.length - 1}\u0000`;
    }
    return value;
  });
  return text.replace(/"\\u0000deep(\d+)\\u0000"/g, (_, i) => deepTexts[Number(i)] as string);
}

/** `text` with each mutation applied in turn. */
export function mutateText(text: string, mutations: readonly TextMutation[]): string {
  let result = text;
  for (const mutation of mutations) {
    const at = (fraction: number) => Math.floor(fraction * result.length);
    switch (mutation.kind) {
      case 'truncate':
        result = result.slice(0, at(mutation.at));
        break;
      case 'token': {
        const numbers = [...result.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)];
        const match = numbers[mutation.nth % Math.max(1, numbers.length)];
        if (match?.index !== undefined) {
          result =
            result.slice(0, match.index) +
            mutation.token +
            result.slice(match.index + match[0].length);
        }
        break;
      }
      case 'splice': {
        const start = at(mutation.at);
        result = result.slice(0, start) + mutation.with + result.slice(start + mutation.length);
        break;
      }
      case 'deep': {
        const start = at(mutation.at);
        result =
          result.slice(0, start) +
          '['.repeat(mutation.depth) +
          ']'.repeat(mutation.depth) +
          result.slice(start);
        break;
      }
    }
  }
  return result;
}

/** How a feed's text is made hostile: structural mutations, then damage to the text, or both. */
export interface HostileText {
  readonly doc: readonly DocMutation[];
  readonly text: readonly TextMutation[];
}

export function hostileText(features: number): fc.Arbitrary<HostileText> {
  return fc.oneof(
    fc.record({ doc: docMutations(features, true), text: fc.constant([]) }),
    fc.record({
      doc: fc.constant([]),
      text: fc.array(textMutation, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      doc: docMutations(features, true, 2),
      text: fc.array(textMutation, { minLength: 1, maxLength: 2 }),
    }),
  );
}

/** The text of feed `doc` (decoded JSON) made hostile as `hostile` says. */
export function buildHostileText(doc: unknown, hostile: HostileText): string {
  return mutateText(feedText(mutateDoc(doc, hostile.doc, true)), hostile.text);
}

/** A hostile feed with a name saying how it is broken. */
export interface HostileCase {
  readonly name: string;
  readonly text: string;
}

/** `count` random hostile feeds made from the recorded feed `doc`, drawn from `seed`. */
export function randomHostileCases(
  doc: { readonly features: readonly unknown[] },
  count: number,
  seed: number,
): HostileCase[] {
  return fc
    .sample(hostileText(doc.features.length), { seed, numRuns: count })
    .map((hostile, i) => ({
      name: `random ${i}: ${JSON.stringify(hostile).slice(0, 300)}`,
      text: buildHostileText(doc, hostile),
    }));
}

const feature = (i: number, ...rest: (string | number)[]): Path => ['features', i, ...rest];
const set = (path: Path, value: unknown): DocMutation => ({
  path,
  op: 'set',
  value: { kind: 'value', value },
});
const remove = (path: Path): DocMutation => ({ path, op: 'delete' });

/**
 * One hostile feed of each kind, made from the recorded feed `doc` (at least 10 features), for
 * the tests of the services that read feeds: the random ones come from hostileText().
 */
export function hostileCases(doc: unknown): HostileCase[] {
  const text = buildHostileText(doc, { doc: [], text: [] });
  const build = (mutations: DocMutation[], damage: TextMutation[] = []) =>
    buildHostileText(doc, { doc: mutations, text: damage });
  return [
    { name: 'cut off in the middle', text: text.slice(0, text.length / 2) },
    {
      name: 'NaN and Infinity written as tokens',
      text: text
        .replace(/"mag":[\d.]+/, '"mag":NaN')
        .replace(/("coordinates":\[[^\]]*,)[\d.-]+\]/, '$1Infinity]'),
    },
    {
      name: 'NaN and Infinity as values, times a Date cannot hold',
      text: build([
        set(feature(0, 'properties', 'time'), 1e300),
        set(feature(1, 'properties', 'updated'), 8.64e15 + 1),
        set(['metadata', 'generated'], 1e20),
        set(feature(2, 'properties', 'mag'), '1e999'),
      ]).replace('"1e999"', '1e999'),
    },
    {
      name: 'values no quake has: magnitude 1e308, depth 1e300, years 0000, 1899 and 3000',
      text: build([
        set(feature(0, 'properties', 'mag'), 1e308),
        set(feature(1, 'geometry', 'coordinates', 2), 1e300),
        set(feature(2, 'properties', 'time'), -62_167_219_200_000),
        set(feature(3, 'properties', 'time'), Date.UTC(1899, 11, 31)),
        set(feature(4, 'properties', 'time'), Date.UTC(3000, 0, 1)),
      ]),
    },
    {
      name: 'types swapped',
      text: build([
        set(feature(3, 'properties', 'mag'), '5.2'),
        set(feature(4, 'geometry', 'coordinates'), 'x'),
        set(feature(5, 'properties'), []),
        set(feature(6, 'id'), 42),
      ]),
    },
    {
      name: 'a place of 2 MB and a feature nested 100,000 deep',
      text: build([
        {
          path: feature(7, 'properties', 'place'),
          op: 'set',
          value: { kind: 'huge', char: 'x', length: 2_000_000 },
        },
        { path: feature(8), op: 'set', value: { kind: 'deep', depth: 100_000, arrays: false } },
      ]),
    },
    {
      name: 'keys missing',
      text: build([
        remove(feature(0, 'id')),
        remove(feature(1, 'properties', 'time')),
        remove(feature(2, 'geometry')),
        remove(['metadata']),
      ]),
    },
    { name: 'no features at all', text: build([remove(['features'])]) },
    { name: 'a document nested 200,000 deep', text: '['.repeat(200_000) + ']'.repeat(200_000) },
    { name: '10 MB of garbage', text: garbage(10 * 1024 * 1024) },
  ];
}

/** `size` bytes of deterministic noise, decoded as fetch() decodes a body (lossy UTF-8). */
export function garbage(size: number, seed = 1): string {
  const bytes = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return new TextDecoder().decode(bytes);
}

/** The quakes the parser accepts from `text`, or null when it refuses the whole feed (FeedError). */
export function acceptedQuakes(text: string): Quake[] | null {
  try {
    return parseFeedText(text).quakes;
  } catch (error) {
    if (error instanceof FeedError) return null;
    throw error;
  }
}
