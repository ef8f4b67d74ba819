import { ConfigError } from '../../src/core/errors.ts';
import { feedWindowMs } from '../../src/core/feed-window.ts';
import { feedUrl, PERIOD_REFRESH_MS, parseFeedName } from '../../src/core/feeds.ts';

/** What a poller polls: a URL, a short name for its log lines, and how far back the feed reaches. */
export interface FeedChoice {
  readonly url: string;
  readonly label: string;
  readonly windowMs: number;
  /** How often USGS regenerates the named feed. */
  readonly refreshMs: number;
}

/**
 * One of the 20 USGS summary feeds by `name` (e.g. "all_hour"), or any http(s) `url`, which wins
 * when set. Throws a ConfigError naming the setting (`settings.name` / `settings.url`) that is wrong.
 */
export function chooseFeed(
  name: string,
  url: string,
  settings: { name: string; url: string },
): FeedChoice {
  const feed = parseFeedName(name);
  if (feed === null) {
    throw new ConfigError(
      'CONFIG_FEED',
      `feed "${name}" (${settings.name}) is not a USGS summary feed; use one of all_hour, 4.5_day, significant_week, … (level significant|4.5|2.5|1.0|all, period hour|day|week|month)`,
    );
  }
  const chosen = url === '' ? feedUrl(feed) : url;
  if (!/^https?:\/\/\S+$/i.test(chosen) || !URL.canParse(chosen)) {
    throw new ConfigError(
      'CONFIG_FEED',
      `feed URL "${chosen}" (${settings.url}) is not an http(s) URL`,
    );
  }
  return {
    url: chosen,
    label: url === '' ? name : url,
    windowMs: feedWindowMs(chosen),
    refreshMs: PERIOD_REFRESH_MS[feed.period],
  };
}
