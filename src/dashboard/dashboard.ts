/**
 * The dashboard's controller. Data flows one way:
 *   feed text -> FeedReader (parseFeedText) -> QuakeStore diff (added / revised / removed by id and `updated`)
 *   -> markers, list, statistics, alerts.
 * In live mode a bridge pushes the same quakes over a WebSocket instead (BridgeClient -> the same
 * store); when the bridge is unreachable the page polls USGS meanwhile.
 * Settings (feed, filters, language, ...) flow the same way: SettingsStore -> refresh.
 * Nothing here draws; the components under map/, list/, stats/, filters/, header/ and alerts/ do.
 */
import { clip } from '../core/errors.ts';
import { quakeExtent } from '../core/extent.ts';
import type { Reject } from '../core/feed.ts';
import { type FeedOddity, feedOddities } from '../core/feed-oddities.ts';
import { type FeedSource, feedSource } from '../core/feed-source.ts';
import { FeedReader, generatedOf, sameFeatures } from '../core/feed-text.ts';
import { compileFilter, countTypes, referenceTime } from '../core/filter.ts';
import {
  connectingTo,
  followsBridge,
  type LinkEffect,
  type LinkEvent,
  type LiveLink,
  stepLink,
} from '../core/live-link.ts';
import { inBox, type MapBox } from '../core/map-view.ts';
import { newsIds, newsSince } from '../core/news.ts';
import { DEFAULT_WINDOW_MS } from '../core/protocol.ts';
import type { Quake } from '../core/quake.ts';
import { shownWindows } from '../core/shown-windows.ts';
import { expireWindows, keepNewestVersion, mergeSnapshot } from '../core/snapshot.ts';
import { SORT_ORDERS, sortQuakes } from '../core/sort-order.ts';
import { activity, summarize, topRegions } from '../core/stats.ts';
import { isEmptyChange, NO_CHANGE, QuakeStore, type StoreChange } from '../core/store.ts';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../core/time.ts';
import { offsetFor } from '../core/time-zone.ts';
import type { Settings } from '../core/url-state.ts';
import { tumblingWindows, type WindowStats } from '../core/window.ts';
import { AlertCards } from './alerts/alert-cards.ts';
import { AlertCenter } from './alerts/alert-center.ts';
import { Announcer } from './alerts/announcer.ts';
import { Notifier } from './alerts/notifier.ts';
import { Exporter } from './filters/exporter.ts';
import { FilterPanel } from './filters/filter-panel.ts';
import { ImpactFilter } from './filters/impact-filter.ts';
import { DisplayPrefs } from './header/display-prefs.ts';
import { FeedPicker } from './header/feed-picker.ts';
import { FeedStatus } from './header/feed-status.ts';
import { Preferences } from './header/preferences.ts';
import { RejectNote } from './header/reject-note.ts';
import { browserLanguage, I18n, readerOffset } from './i18n/i18n.ts';
import { QuakeList } from './list/quake-list.ts';
import { PlatesLayer } from './map/plates-layer.ts';
import { QuakeMap } from './map/quake-map.ts';
import { IngestMeasure } from './probe/ingest-measure.ts';
import { PageState } from './probe/page-state.ts';
import { CatalogueSearch } from './search/catalogue-search.ts';
import { BridgeClient, type BridgeSnapshot, servingBridge } from './state/bridge-client.ts';
import { type Failure, FeedPoller } from './state/poller.ts';
import { SettingsStore } from './state/settings-store.ts';
import { ActivityChart } from './stats/activity-chart.ts';
import { Kpis } from './stats/kpis.ts';
import { TopRegions } from './stats/top-regions.ts';
import { WindowChart } from './stats/window-chart.ts';
import { byId } from './ui/dom.ts';
import { applyTheme, followSystemTheme, initialTheme, mapTheme, type Theme } from './ui/theme.ts';
import { ViewSwitch } from './ui/view-switch.ts';

const DEFAULT_TIMEOUT_MS = 20 * SECOND_MS;
/** Live frames are applied together at most this often, so a burst costs one redraw. */
const LIVE_BATCH_MS = 200;
/** Challenge 6's windows: the bridge sends them in live mode; the page computes them when it polls. */
const WINDOW_SPEC = tumblingWindows();

export class Dashboard {
  readonly #settings = new SettingsStore();
  readonly #store = new QuakeStore();
  /** Decodes and checks only the features a poll changed. */
  readonly #reader = new FeedReader();
  readonly #poller: FeedPoller;
  #i18n: I18n;
  #theme: Theme = initialTheme();
  #source: FeedSource;
  /** metadata.generated of the data on screen. */
  #generated: number | null = null;
  #fetchedAt: number | null = null;
  #lastText: string | null = null;
  /** The next good poll is the first of this feed: nothing in it is "new". */
  #initial = true;
  #fresh: ReadonlySet<string> = new Set();
  /** The quakes that pass the filters, in list order, and the oldest quake time, as of the last refresh. */
  #shown: Quake[] = [];
  #oldest = Number.POSITIVE_INFINITY;
  /** The reference time of the last refresh ("now" for the statistics). */
  #reference = 0;
  /**
   * A feed's first data shows its map and list first: the side panel's statistics and the alerts
   * wait for the frame after (#showPanel), and the body's data-* with them.
   */
  #panelDue = false;
  #failure: Failure | null = null;
  #retryAt: number | null = null;
  /** The features of the polled feed on screen that did not become quakes. */
  #rejects: readonly Reject[] = [];
  /** What is odd about the polled feed on screen (metadata.count, quakes after its generation). */
  #oddities: readonly FeedOddity[] = [];
  /** An error nobody expected (a bug): shown until a reload, since what is on screen may be wrong. */
  #error: string | null = null;
  readonly #pageState = new PageState(document.body);
  readonly #ingestMeasure = new IngestMeasure();
  /** Live mode: the bridge connection and its state; null when the page only polls. */
  #bridge: BridgeClient | null = null;
  #link: LiveLink | null = null;
  #fallbackTimer: ReturnType<typeof setTimeout> | undefined;
  /** Quakes received live and not applied yet (the newest version of each). */
  readonly #pending = new Map<string, Quake>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** How far back the bridge keeps quakes: older ones leave the page. */
  #liveWindowMs = DEFAULT_WINDOW_MS;
  /** The latest figures of each 5-minute window the bridge sent, by window start. */
  readonly #windows = new Map<number, WindowStats>();

  readonly #map: QuakeMap;
  readonly #list: QuakeList;
  readonly #kpis = new Kpis(byId('kpis'));
  readonly #chart = new ActivityChart(byId('activity'));
  readonly #regions = new TopRegions(byId('regions'));
  readonly #windowChart = new WindowChart(byId('windows'));
  readonly #filters = new FilterPanel(byId('filters'));
  readonly #picker = new FeedPicker(byId<HTMLSelectElement>('feed-select'));
  readonly #status: FeedStatus;
  readonly #prefs = new Preferences();
  readonly #rejectNote = new RejectNote(byId<HTMLDetailsElement>('rejects'));
  readonly #cards: AlertCards;
  readonly #notifier = new Notifier();
  readonly #alerts: AlertCenter;
  readonly #views = new ViewSwitch(byId('views'));
  readonly #exporter = new Exporter(
    byId('export-csv'),
    byId('export-geojson'),
    byId('export-kml'),
    byId('export-quakeml'),
  );
  readonly #displayPrefs = new DisplayPrefs();
  readonly #impactFilter = new ImpactFilter(byId('filter-impact'));
  readonly #sortSelect = byId<HTMLSelectElement>('list-sort');
  readonly #inView = byId<HTMLInputElement>('list-in-view');
  readonly #plates: PlatesLayer;
  readonly #search: CatalogueSearch;

  constructor() {
    const settings = this.#settings.settings;
    this.#i18n = new I18n(settings.lang ?? browserLanguage(navigator.languages), settings.timeZone);
    applyTheme(this.#theme, false);
    this.#source = feedSource(settings.feed, this.#settings.session.pollMs);
    this.#map = new QuakeMap(byId('map'), this.#i18n, settings.colourBy, mapTheme(this.#theme));
    this.#map.setTiles(settings.tiles);
    this.#plates = new PlatesLayer(this.#map.map);
    this.#plates.show(settings.plates);
    this.#search = new CatalogueSearch(this.#i18n);
    this.#search.service = this.#settings.session.catalogue ?? undefined;
    this.#list = new QuakeList(
      byId('quake-list'),
      byId('list-empty'),
      this.#i18n,
      settings.colourBy,
    );
    this.#status = new FeedStatus(byId('feed-status'), byId('stale'), this.#i18n);
    this.#cards = new AlertCards(byId('alerts'), this.#i18n);
    this.#alerts = new AlertCenter(this.#cards, new Announcer(byId('announcer')), this.#notifier);
    this.#poller = new FeedPoller({
      timeoutMs: this.#settings.session.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onText: (text) => this.#ingest(text),
      onFailure: (failure, _count, retryInMs) => this.#fail(failure, retryInMs),
    });
    const bridge = this.#settings.session.bridge ?? servingBridge();
    if (bridge !== null) this.#bridge = this.#connectBridge(bridge);
    this.#wire();
    this.#translate();
    setInterval(() => this.#pruneLive(), MINUTE_MS);
  }

  start(): void {
    if (this.#bridge !== null) this.#bridge.start();
    else this.#poller.start(this.#source.url, this.#source.pollMs);
    this.#showStatus();
  }

  /**
   * Shows an error nobody expected (main.ts sends every uncaught one here) as the page's error
   * state, never an endless "loading". The first one is kept: later ones are usually its echoes.
   */
  crashed(error: unknown): void {
    if (this.#error !== null) return;
    this.#error = clip(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    this.#showStatus();
    this.#publish();
  }

  #connectBridge(url: string): BridgeClient {
    this.#link = connectingTo(url);
    return new BridgeClient(url, {
      onState: (state, retryInMs, reason) =>
        this.#onLink({
          type: 'state',
          state,
          retryInMs,
          reason,
          now: Date.now(),
          hasData: this.#generated !== null,
        }),
      onSnapshot: (snapshot) => this.#onSnapshot(snapshot),
      onQuake: (quake) => this.#queue(quake),
      onAlert: (quake) => this.#queue(quake),
      onWindow: (window) => {
        this.#windows.set(window.start, window);
        this.#scheduleFlush();
      },
      onSource: (ok, message) => this.#onLink({ type: 'source', ok, message }),
    });
  }

  #onLink(event: LinkEvent): void {
    if (this.#link === null) return;
    const { link, effects } = stepLink(this.#link, event);
    this.#link = link;
    for (const effect of effects) this.#linkEffect(effect);
    this.#showStatus();
    this.#publish();
  }

  #linkEffect(effect: LinkEffect): void {
    switch (effect.type) {
      case 'schedule-fallback':
        this.#fallbackTimer = setTimeout(
          () => this.#onLink({ type: 'fallback-due' }),
          effect.delayMs,
        );
        return;
      case 'cancel-fallback':
        clearTimeout(this.#fallbackTimer);
        return;
      case 'start-polling':
        // Polls USGS while the bridge is away; its next connection then starts from a fresh snapshot.
        this.#bridge?.forgetCursor();
        this.#initial = this.#generated === null;
        this.#poller.start(this.#source.url, this.#source.pollMs);
        return;
      case 'stop-polling':
        this.#poller.stop();
        return;
    }
  }

  #onSnapshot(snapshot: BridgeSnapshot): void {
    this.#pending.clear();
    this.#liveWindowMs = snapshot.windowMs;
    this.#windows.clear();
    for (const window of snapshot.windows) this.#windows.set(window.start, window);
    const oldest = Date.now() - this.#liveWindowMs;
    const quakes = mergeSnapshot(snapshot.quakes, snapshot.alerts, oldest);
    this.#lastText = null;
    this.#rejects = [];
    this.#oddities = [];
    this.#initial = true;
    this.#applied(this.#store.applySnapshot(quakes), Date.now());
  }

  #queue(quake: Quake): void {
    keepNewestVersion(this.#pending, quake);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushTimer === undefined) {
      this.#flushTimer = setTimeout(() => this.#flushLive(), LIVE_BATCH_MS);
    }
  }

  #flushLive(): void {
    this.#flushTimer = undefined;
    this.#ingestMeasure.arrived();
    const change = this.#store.upsert(this.#pending.values());
    this.#pending.clear();
    this.#applied({ ...change, removed: this.#expired() }, Date.now());
  }

  /** Quakes older than the bridge's window leave the store; returns them. */
  #expired(): readonly Quake[] {
    if (!followsBridge(this.#link)) return [];
    const oldest = Date.now() - this.#liveWindowMs;
    expireWindows(this.#windows, oldest);
    return this.#store.expire(oldest).removed;
  }

  #pruneLive(): void {
    const removed = this.#expired();
    if (removed.length > 0) this.#applied({ added: [], revised: [], removed }, this.#generated);
  }

  #wire(): void {
    this.#settings.onChange = (next, previous) => this.#onSettings(next, previous);
    const update = (patch: Partial<Settings>) => this.#settings.update(patch);
    this.#filters.onFilter = (filter) => update({ filter });
    this.#filters.onColourBy = (colourBy) => update({ colourBy });
    this.#picker.onPick = (feed) => update({ feed });
    this.#prefs.onLanguage = (lang) => update({ lang });
    this.#prefs.onTiles = (tiles) => update({ tiles });
    this.#prefs.onAlertMag = (alertMag) => update({ alertMag });
    const setTheme = (theme: Theme, remember: boolean) => {
      this.#theme = theme;
      applyTheme(theme, remember);
      this.#map.setTheme(mapTheme(theme));
      this.#syncPrefs();
    };
    this.#prefs.onTheme = (theme) => setTheme(theme, true);
    followSystemTheme((theme) => setTheme(theme, false));
    this.#prefs.onNotify = () => void this.#notifier.enable().then(() => this.#syncPrefs());
    this.#map.onSelect = (id) => this.#select(id, false);
    this.#views.onChange = (view) => {
      if (view === 'map') this.#map.resized();
    };
    this.#list.onSelect = (id) => {
      // On a phone the list hides the map: a tapped row is shown on the map, in view.
      if (this.#views.single) this.#views.show('map');
      this.#select(id, true);
    };
    this.#list.onActivate = (id) => this.#map.layer.select(id);
    this.#cards.onShow = (id) => {
      if (this.#views.single) this.#views.show('map');
      this.#select(id, true);
      // The card's button folds away with the stack: the keyboard goes on to the map it opened.
      this.#map.focus();
    };
    this.#wireParity(update);
    this.#exporter.source = () => ({
      quakes: this.#list.items,
      name: this.#source.period === null ? 'feed' : this.#source.name,
      title: this.#source.name,
      generated: this.#generated ?? this.#fetchedAt ?? Date.now(),
      offsetOf: (quake) => offsetFor(this.#i18n.zone, quake.time, quake, readerOffset),
    });
  }

  /** Issue 14's controls: sort order, time zone, plates, impact filter, map-view list, catalogue search. */
  #wireParity(update: (patch: Partial<Settings>) => void): void {
    this.#sortSelect.addEventListener('change', () => {
      const sort = SORT_ORDERS.find((order) => order === this.#sortSelect.value);
      if (sort !== undefined) update({ sort });
    });
    this.#inView.addEventListener('change', () => update({ inView: this.#inView.checked }));
    this.#displayPrefs.onTimeZone = (timeZone) => update({ timeZone });
    this.#displayPrefs.onPlates = (plates) => update({ plates });
    this.#impactFilter.onChange = (impact) =>
      update({ filter: { ...this.#settings.settings.filter, impact } });
    this.#search.view = () => this.#mapBox();
    this.#search.onQuery = (feed) => update({ feed });
    this.#map.map.on('moveend', () => {
      if (this.#settings.settings.inView) this.#showList();
    });
  }

  #mapBox(): MapBox {
    const bounds = this.#map.map.getBounds();
    return {
      south: bounds.getSouth(),
      north: bounds.getNorth(),
      west: bounds.getWest(),
      east: bounds.getEast(),
    };
  }

  /** The list: the quakes shown, in the chosen order, only those in the map's view if asked. */
  #showList(): void {
    const { sort, inView } = this.#settings.settings;
    let items = this.#shown;
    if (inView) {
      const box = this.#mapBox();
      items = items.filter((quake) => inBox(box, quake.lat, quake.lon));
    }
    this.#list.setItems(sortQuakes(items, sort), this.#fresh);
    const i18n = this.#i18n;
    byId('list-count').textContent = i18n.t('list.count', {
      shown: i18n.integer(items.length),
      total: i18n.integer(this.#store.size),
    });
  }

  #ingest(text: string): void {
    this.#ingestMeasure.arrived();
    let change: StoreChange = NO_CHANGE;
    let generated = this.#generated;
    if (sameFeatures(this.#lastText, text)) {
      generated = generatedOf(text) ?? generated;
      this.#lastText = text;
    } else {
      // Throws FeedError on a body that is not a feed: the poller reports it, the old data stays.
      const feed = this.#reader.read(text, Date.now());
      this.#rejects = feed.rejects;
      this.#oddities = feedOddities(feed);
      this.#lastText = text;
      generated = feed.metadata.generated;
      change = this.#store.applySnapshot(feed.quakes);
    }
    this.#ingestMeasure.parsed();
    this.#applied(change, generated);
  }

  /** Shows what an update changed: from a poll, a bridge snapshot, or a batch of live frames. */
  #applied(change: StoreChange, generated: number | null): void {
    const first = this.#initial;
    const moved = generated !== this.#generated;
    const since = first ? null : newsSince(this.#generated);
    this.#initial = false;
    this.#generated = generated;
    this.#fetchedAt = Date.now();
    this.#failure = null;
    this.#retryAt = null;
    const update = this.#pageState.updated();
    if (change.added.length > 0) this.#fresh = newsIds(change.added, since);
    if (first || !isEmptyChange(change)) {
      this.#refresh(change, { highlight: since !== null, fit: first, panelLater: first });
      if (!this.#panelDue) this.#raiseAlerts(since);
    } else if (moved) this.#refreshClock();
    this.#showStatus();
    this.#publish();
    this.#ingestMeasure.shown(
      { update, quakes: this.#store.size, changed: !isEmptyChange(change) },
      this.#panelDue ? () => this.#showPanel() : undefined,
    );
  }

  #fail(failure: Failure, retryInMs: number): void {
    this.#failure = failure;
    this.#retryAt = Date.now() + retryInMs;
    this.#pageState.failed();
    this.#showStatus();
    this.#publish();
  }

  /**
   * Re-derives everything on screen from the store and the settings; `highlight` pulses the
   * arrivals, `fit` fits the map's first view to the quakes shown, `panelLater` leaves the side
   * panel and the alerts to #showPanel after the next frame.
   */
  #refresh(
    change: StoreChange | null,
    { highlight = false, fit = false, panelLater = false } = {},
  ): void {
    const { filter } = this.#settings.settings;
    const reference = referenceTime(this.#generated, this.#store.values(), Date.now());
    this.#reference = reference;
    const visible = compileFilter(filter, reference);
    const shown: Quake[] = [];
    let oldest = Number.POSITIVE_INFINITY;
    for (const quake of this.#store.values()) {
      if (visible(quake)) shown.push(quake);
      if (quake.time < oldest) oldest = quake.time;
    }
    this.#shown = shown;
    this.#oldest = oldest;
    // Fitted before the dots join the map, so they are painted once, in the view they are seen in.
    if (fit) this.#map.fitQuakes(quakeExtent(shown));
    if (change === null) this.#map.filter(visible);
    else this.#map.apply(change, visible, highlight);
    this.#showList();
    this.#map.refreshPopup((id) => {
      const quake = this.#store.get(id);
      return quake !== undefined && visible(quake) ? quake : undefined;
    });
    if (panelLater) this.#panelDue = true;
    else if (this.#panelDue) this.#showPanel();
    else this.#drawPanel();
    this.#publish();
  }

  /** The first data's side panel and alerts, after the frame that showed its map and list. */
  #showPanel(): void {
    if (!this.#panelDue) return;
    this.#drawPanel();
    this.#raiseAlerts(null);
    this.#publish();
  }

  /** The side panel as of the last refresh: statistics, charts, regions, the filters' counts. */
  #drawPanel(): void {
    this.#panelDue = false;
    const { filter, colourBy } = this.#settings.settings;
    const reference = this.#reference;
    const i18n = this.#i18n;
    this.#timeStats(reference);
    const feedSpan = this.#source.spanMs ?? this.#dataSpan(reference);
    this.#regions.update(topRegions(this.#shown), i18n);
    this.#filters.sync(filter, colourBy, countTypes(this.#store.values()), feedSpan, i18n);
    this.#impactFilter.sync(filter.impact);
  }

  /**
   * A regenerated feed with the same features moved only the reference time: the "last hour"
   * and the activity chart change, and the time window if one is set.
   */
  #refreshClock(): void {
    if (this.#settings.settings.filter.windowMs !== null) {
      this.#refresh(null);
      return;
    }
    this.#reference = referenceTime(this.#generated, this.#store.values(), Date.now());
    if (!this.#panelDue) this.#timeStats(this.#reference);
  }

  /** The statistics that count back from the reference time, over the quakes shown. */
  #timeStats(reference: number): void {
    const i18n = this.#i18n;
    const span =
      this.#settings.settings.filter.windowMs ?? this.#source.spanMs ?? this.#dataSpan(reference);
    const hasData = this.#generated !== null || this.#fetchedAt !== null;
    this.#kpis.update(summarize(this.#shown, reference), this.#store.size, i18n, hasData);
    this.#chart.update(activity(this.#shown, reference, span), i18n);
    // All quakes, not only those shown: the same figures the Kafka stats service and Spark publish.
    const windows = followsBridge(this.#link)
      ? this.#windows.values()
      : shownWindows(this.#store.values(), WINDOW_SPEC, reference);
    this.#windowChart.update(windows, WINDOW_SPEC, reference, i18n);
  }

  /** How far back a custom feed reaches: from its oldest quake to the reference time. */
  #dataSpan(reference: number): number {
    return Math.max(HOUR_MS, reference - Math.min(this.#oldest, reference));
  }

  #raiseAlerts(since: number | null): void {
    const threshold = this.#settings.settings.alertMag;
    this.#alerts.check(this.#store.values(), threshold, since, this.#i18n);
  }

  #select(id: string, fly: boolean): void {
    const quake = this.#store.get(id);
    if (quake === undefined) return;
    this.#list.select(id);
    this.#cards.fold();
    this.#map.show(quake, fly);
  }

  #onSettings(next: Settings, previous: Settings): void {
    if (next.lang !== previous.lang || next.timeZone !== previous.timeZone) {
      this.#i18n = new I18n(next.lang ?? browserLanguage(navigator.languages), next.timeZone);
      this.#translate();
    }
    if (next.plates !== previous.plates) this.#plates.show(next.plates);
    if (feedSource(next.feed, null).name !== this.#source.name) {
      // Choosing a USGS feed is choosing to poll it: the page leaves live mode.
      this.#bridge?.stop();
      this.#bridge = null;
      this.#link = null;
      clearTimeout(this.#fallbackTimer);
      this.#source = feedSource(next.feed, this.#settings.session.pollMs);
      this.#lastText = null;
      this.#rejects = [];
      this.#oddities = [];
      this.#generated = null;
      this.#fetchedAt = null;
      this.#failure = null;
      this.#initial = true;
      this.#picker.sync(next.feed, this.#i18n);
      this.start();
    }
    if (next.colourBy !== previous.colourBy) {
      this.#map.setColourBy(next.colourBy);
      this.#list.setLook(this.#i18n, next.colourBy);
    }
    if (next.tiles !== previous.tiles) this.#map.setTiles(next.tiles);
    if (next.alertMag !== previous.alertMag) this.#raiseAlerts(null);
    this.#syncPrefs();
    this.#refresh(null);
  }

  #translate(): void {
    const i18n = this.#i18n;
    const { feed, colourBy } = this.#settings.settings;
    document.documentElement.lang = i18n.lang;
    document.title = i18n.t('app.title');
    i18n.apply(document);
    this.#picker.sync(feed, i18n);
    this.#map.setLanguage(i18n);
    this.#list.setLook(i18n, colourBy);
    this.#cards.setLanguage(i18n);
    this.#search.setLanguage(i18n);
    this.#syncPrefs();
    this.#showStatus();
    this.#refresh(null);
  }

  #syncPrefs(): void {
    const { tiles, alertMag, timeZone, plates, sort, inView } = this.#settings.settings;
    this.#displayPrefs.sync(timeZone, plates);
    this.#sortSelect.value = sort;
    this.#inView.checked = inView;
    this.#prefs.sync(
      { lang: this.#i18n.lang, theme: this.#theme, tiles, alertMag, notify: this.#notifier.state },
      this.#i18n,
    );
  }

  #showStatus(): void {
    this.#status.set(
      {
        url: this.#source.url,
        pollMs: this.#source.pollMs,
        generated: this.#generated ?? this.#fetchedAt,
        failure: this.#failure,
        retryAt: this.#retryAt,
        bridge: this.#link,
        error: this.#error,
        oddities: this.#oddities,
      },
      this.#i18n,
    );
    this.#rejectNote.update(this.#rejects, this.#i18n);
  }

  #publish(): void {
    // The body's data-* say what the whole page shows: they wait for a first data's side panel.
    if (this.#panelDue) return;
    this.#pageState.publish({
      quakes: this.#store.size,
      markers: this.#map.layer.counts,
      alerts: this.#cards.count,
      link: this.#link,
      crashed: this.#error !== null,
      failed: this.#failure !== null,
      loaded: this.#generated !== null || this.#fetchedAt !== null,
    });
  }
}
