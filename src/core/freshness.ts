/**
 * When data may be called live: USGS regenerates each feed every minute to every 15 minutes, and
 * the page polls at that pace, so data older than a few poll periods is a recording or a feed
 * that stopped, not live.
 */
import { MINUTE_MS } from './time.ts';

/** Poll periods a feed's generation may lag before the data is no longer live. */
export const FRESH_POLLS = 3;
/** The shortest lag allowed, for short poll periods (USGS's CDN caches a feed for a minute). */
export const MIN_FRESH_MS = 5 * MINUTE_MS;

/** Whether data generated at `generated` still counts as live at `now`, for a feed polled every `pollMs`. */
export function isFresh(generated: number, pollMs: number, now: number): boolean {
  return now - generated <= Math.max(FRESH_POLLS * pollMs, MIN_FRESH_MS);
}
