/**
 * Cheap checks on the raw text of a re-fetched feed, so a poll that brings nothing new costs a
 * string comparison instead of a JSON parse. USGS regenerates a feed every minute: its
 * `metadata.generated` changes while the features often do not.
 */

import { isEpochMs } from './guards.ts';

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
