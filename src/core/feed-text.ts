/**
 * Cheap readings of the raw text of a re-fetched feed, so a poll that brings nothing new costs a
 * string comparison instead of a JSON parse, and one that revises a few quakes decodes only
 * those. USGS regenerates a feed every minute: its `metadata.generated` changes while the
 * features often do not, or only a few of them.
 */

import {
  collectFeed,
  collectionOf,
  featureOutcome,
  type ParsedFeed,
  parseFeedText,
  type Unusable,
} from './feed.ts';
import { isEpochMs, isObject } from './guards.ts';
import type { Quake } from './quake.ts';

const FEATURES_KEY = '"features":';

/**
 * True when `next` has exactly the same features as `previous` (same text from the features
 * key to the end). Conservative: any doubt answers false and the caller parses the feed.
 */
export function sameFeatures(previous: string | null, next: string): boolean {
  if (previous === null) return false;
  if (previous === next) return true;
  const i = previous.indexOf(FEATURES_KEY);
  const j = next.indexOf(FEATURES_KEY);
  if (i === -1 || j === -1 || previous.length - i !== next.length - j) return false;
  return previous.slice(i) === next.slice(j);
}

/**
 * `metadata.generated` read from the text before the features, or null. Only meaningful for a
 * text that parsed before (sameFeatures said its features are unchanged).
 */
export function generatedOf(text: string): number | null {
  const end = text.indexOf(FEATURES_KEY);
  const head = end === -1 ? text : text.slice(0, end);
  const match = /"generated"\s*:\s*(\d{1,16})\b/.exec(head);
  const generated = match === null ? null : Number(match[1]);
  return isEpochMs(generated) ? generated : null;
}

const FEATURES_ARRAY = '"features":[';
/** How USGS writes the end of one feature and the start of the next. */
const BETWEEN_FEATURES = '},{"type":"Feature"';

/**
 * Reads each polled text of a feed as parseFeedText would, reusing what it checked in the text
 * before: USGS revises a few quakes of a feed per minute, and a feature whose text is exactly as
 * before keeps its quake without being decoded or checked again.
 *
 * The features array is cut where USGS's layout says a feature ends, and the cut is proven
 * before it is used: every piece must decode on its own as one JSON value, and the document with
 * a number in place of the array must decode with that number as its features, for two numbers
 * (so the array is the value that counts, not a key repeated later). Then decoding the whole
 * text would give exactly these pieces as its features. Any text that fails the proof (another
 * layout, a broken document) is parsed whole by parseFeedText, with its errors.
 */
export class FeedReader {
  /** The last text read: its features' texts and what each became, checked against `latest`. */
  #last: {
    readonly pieces: readonly string[];
    readonly outcomes: readonly (Quake | Unusable)[];
    readonly latest: number;
  } | null = null;

  read(text: string, now: number): ParsedFeed {
    const feed = this.#readPieces(text, now);
    if (feed !== null) return feed;
    this.#last = null;
    return parseFeedText(text, now);
  }

  #readPieces(text: string, now: number): ParsedFeed | null {
    const array = featuresArray(text);
    if (array === null) return null;
    const head = text.slice(0, array.open);
    const tail = text.slice(array.close + 1);
    const doc = decodeOr(`${head}0${tail}`);
    const check = decodeOr(`${head}1${tail}`);
    if (
      !isObject(doc) ||
      doc.type !== 'FeatureCollection' ||
      doc.features !== 0 ||
      !isObject(check) ||
      check.features !== 1
    ) {
      return null;
    }
    const { metadata, times } = collectionOf(doc, [], now);
    // A quake checked against a later limit than this text's might be too late for it.
    const last = this.#last !== null && times.latest >= this.#last.latest ? this.#last : null;
    const { pieces } = array;
    const outcomes: (Quake | Unusable)[] = [];
    /** Where each id was in the last text; made only when features moved (some came or left). */
    let lastIndex: Map<string, number> | null = null;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      let known: Quake | Unusable | undefined;
      if (last !== null) {
        const there = last.pieces[i];
        if (there === piece) known = last.outcomes[i];
        else {
          const id = idOf(piece);
          if (id !== null && (there === undefined || id !== idOf(there))) {
            lastIndex ??= indexById(last.pieces);
            const j = lastIndex.get(id);
            if (j !== undefined && last.pieces[j] === piece) known = last.outcomes[j];
          }
        }
      }
      // A reject's reason names this text's time range: only quakes are kept as they were.
      if (known === undefined || 'reason' in known) {
        const feature = decodeOr(piece, UNDECODABLE);
        if (feature === UNDECODABLE) return null;
        known = featureOutcome(feature, times);
      }
      outcomes.push(known);
    }
    this.#last = { pieces, outcomes, latest: times.latest };
    return collectFeed(metadata, outcomes.length, (index) => outcomes[index] as Quake | Unusable);
  }
}

/** The position of each feature's id (see idOf) in `pieces`. */
function indexById(pieces: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  pieces.forEach((piece, i) => {
    const id = idOf(piece);
    if (id !== null) index.set(id, i);
  });
  return index;
}

const UNDECODABLE = Symbol('undecodable');

/** JSON.parse of `text`, or `otherwise` when it is not JSON. */
function decodeOr(text: string, otherwise: unknown = undefined): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return otherwise;
  }
}

/**
 * Where the features array of a feed in USGS's layout opens and closes, and the text of each
 * feature in it as that layout separates them; null when the text is not in that layout.
 */
function featuresArray(text: string): { open: number; close: number; pieces: string[] } | null {
  const key = text.indexOf(FEATURES_ARRAY);
  if (key === -1) return null;
  const open = key + FEATURES_ARRAY.length - 1;
  if (text[open + 1] === ']') return { open, close: open + 1, pieces: [] };
  const close = text.lastIndexOf('}]') + 1;
  if (close <= open + 1) return null;
  const pieces: string[] = [];
  let start = open + 1;
  for (
    let end = text.indexOf(BETWEEN_FEATURES, start);
    end !== -1 && end < close;
    end = text.indexOf(BETWEEN_FEATURES, start)
  ) {
    pieces.push(text.slice(start, end + 1));
    start = end + 2;
  }
  pieces.push(text.slice(start, close));
  return { open, close, pieces };
}

const ID_KEY = '"id":"';

/**
 * The id a feature's text names last, where USGS writes it (a hint for finding the feature's
 * text in the last poll; only a feature whose text is the same keeps its quake).
 */
function idOf(piece: string): string | null {
  const at = piece.lastIndexOf(ID_KEY);
  if (at === -1) return null;
  const end = piece.indexOf('"', at + ID_KEY.length);
  return end === -1 ? null : piece.slice(at + ID_KEY.length, end);
}
