/** The feed selector: the 20 USGS summary feeds grouped by period, plus a custom ?feed= URL. */
import {
  FEED_LEVELS,
  FEED_PERIODS,
  type FeedId,
  feedName,
  parseFeedName,
} from '../../core/feeds.ts';
import type { I18n, MessageKey } from '../i18n/i18n.ts';
import { el } from '../ui/dom.ts';

const CUSTOM = 'custom';

export class FeedPicker {
  readonly #select: HTMLSelectElement;
  /** The user picked one of the 20 feeds. */
  onPick: (feed: FeedId) => void = () => {};

  constructor(select: HTMLSelectElement) {
    this.#select = select;
    select.addEventListener('change', () => {
      const feed = parseFeedName(select.value);
      if (feed !== null) this.onPick(feed);
    });
  }

  sync(feed: FeedId | string, i18n: I18n): void {
    const groups = FEED_PERIODS.map((period) =>
      el(
        'optgroup',
        { attrs: { label: i18n.t(`period.${period}`) } },
        ...FEED_LEVELS.map((level) =>
          el('option', {
            text: `${i18n.t(`level.${level}` as MessageKey)} · ${i18n.t(`period.${period}`).toLowerCase()}`,
            attrs: { value: feedName({ level, period }) },
          }),
        ),
      ),
    );
    const custom =
      typeof feed === 'string'
        ? el('option', {
            text: i18n.t('feed.custom', { url: shortUrl(feed) }),
            attrs: { value: CUSTOM },
          })
        : null;
    this.#select.replaceChildren(...(custom === null ? [] : [custom]), ...groups);
    this.#select.value = typeof feed === 'string' ? CUSTOM : feedName(feed);
    this.#select.title = typeof feed === 'string' ? feed : '';
  }
}

/** "http://127.0.0.1:8080/fixtures/2016-11-03_all_day.geojson" -> "2016-11-03_all_day.geojson" (the full URL is the tooltip). */
function shortUrl(url: string): string {
  try {
    const { host, pathname } = new URL(url);
    return pathname.split('/').pop() || host;
  } catch {
    return url;
  }
}
