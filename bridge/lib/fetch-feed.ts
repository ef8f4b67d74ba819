import { FeedError } from '../../src/core/errors.ts';
import { type ParsedFeed, parseFeedText } from '../../src/core/feed.ts';
import { formatDuration } from './console.ts';

/**
 * Downloads and parses a USGS GeoJSON feed. Every way it can fail becomes a FeedError with one
 * code: FEED_NETWORK, FEED_TIMEOUT (no complete answer within `timeoutMs`, body included),
 * FEED_HTTP, FEED_NOT_JSON or FEED_NOT_COLLECTION. Aborting `stop` rejects with its reason.
 */
export async function fetchFeed(
  url: string,
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<ParsedFeed> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop === undefined ? timeout : AbortSignal.any([timeout, stop]);
  let text: string;
  try {
    const response = await fetch(url, {
      signal,
      headers: { accept: 'application/geo+json, application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FeedError('FEED_HTTP', httpProblem(response.status, response.statusText));
    }
    text = await response.text();
  } catch (error) {
    if (error instanceof FeedError) throw error;
    if (stop?.aborted) throw stop.reason;
    if (timeout.aborted) {
      throw new FeedError('FEED_TIMEOUT', `did not answer within ${formatDuration(timeoutMs)}`, {
        cause: error,
      });
    }
    throw new FeedError('FEED_NETWORK', `is unreachable (${networkReason(error)})`, {
      cause: error,
    });
  }
  return parseFeedText(text, Date.now());
}

function httpProblem(status: number, statusText: string): string {
  const answer = `returned HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`;
  // A 4xx will not heal by itself: the address is wrong.
  return status >= 400 && status < 500
    ? `${answer}; check the feed name or URL (USGS_FEED, USGS_FEED_URL)`
    : answer;
}

/** fetch() reports every network failure as "fetch failed"; the cause says which one. */
function networkReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (current instanceof Error) {
    const code = 'code' in current && typeof current.code === 'string' ? current.code : null;
    return code !== null && !current.message.includes(code)
      ? `${code}: ${current.message}`
      : current.message;
  }
  return String(current);
}

/** One line naming the feed and what went wrong: "USGS feed at URL returned HTTP 503". */
export function feedProblem(where: string, error: FeedError): string {
  return `USGS feed at ${where} ${error.message.replace(/^feed /, '')}`;
}
