/**
 * Decides which quakes alert and tells the user, once per quake id: an alert card on the page,
 * an announcement for screen readers, and (after opt-in) a browser notification. The ids that
 * already alerted are kept in localStorage, so a reload does not alert them again.
 */
import { pendingAlerts, readAlertMemory, rememberAlerts } from '../../core/alert-memory.ts';
import type { Quake } from '../../core/quake.ts';
import type { I18n } from '../i18n/i18n.ts';
import { placeOf } from '../map/popup.ts';
import { storage } from '../state/storage.ts';
import type { AlertCards } from './alert-cards.ts';
import type { Announcer } from './announcer.ts';
import type { Notifier } from './notifier.ts';

const MEMORY_KEY = 'alerted';
/** Desktop notifications per update at most; the cards show the rest. */
const MAX_NOTIFICATIONS = 3;

export class AlertCenter {
  readonly #cards: AlertCards;
  readonly #announcer: Announcer;
  readonly #notifier: Notifier;
  #memory = readAlertMemory(storage.get(MEMORY_KEY));

  constructor(cards: AlertCards, announcer: Announcer, notifier: Notifier) {
    this.#cards = cards;
    this.#announcer = announcer;
    this.#notifier = notifier;
  }

  /**
   * Alerts the quakes at or above `threshold` that never alerted. A `backlog` (the first load of
   * a feed, a new threshold) is shown on the page but not pushed as desktop notifications.
   */
  check(quakes: Iterable<Quake>, threshold: number, backlog: boolean, i18n: I18n): void {
    const pending = pendingAlerts(quakes, threshold, new Set(this.#memory));
    const newest = pending[0];
    if (newest === undefined) return;
    this.#memory = rememberAlerts(
      this.#memory,
      pending.map((quake) => quake.id),
    );
    storage.set(MEMORY_KEY, JSON.stringify(this.#memory));
    this.#cards.add(pending);
    const params = {
      mag: i18n.mag(newest.mag),
      place: placeOf(newest, i18n),
      count: pending.length,
    };
    this.#announcer.say(
      i18n.t(pending.length === 1 ? 'alert.announce' : 'alert.announceMany', params),
    );
    if (backlog) return;
    for (const quake of pending.slice(0, MAX_NOTIFICATIONS)) this.#notifier.notify(quake, i18n);
  }
}
