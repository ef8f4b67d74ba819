/**
 * Tells the user about the quakes that alert (alertRound in the core decides which), once per
 * quake id: an alert card on the page, an announcement for screen readers, and (after opt-in) a
 * browser notification. The ids that already alerted are kept in localStorage, so a reload does
 * not alert them again.
 */
import { alertRound, readAlertMemory } from '../../core/alert-memory.ts';
import type { Quake } from '../../core/quake.ts';
import type { I18n } from '../i18n/i18n.ts';
import { placeOf } from '../map/popup.ts';
import { storage } from '../state/storage.ts';
import type { AlertCards } from './alert-cards.ts';
import type { Announcer } from './announcer.ts';
import type { Notifier } from './notifier.ts';

const MEMORY_KEY = 'alerted';

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

  /** Alerts the quakes of an update that happened after `since` (see alertRound and newsSince). */
  check(quakes: Iterable<Quake>, threshold: number, since: number | null, i18n: I18n): void {
    const { alerts, notify, memory } = alertRound(quakes, threshold, this.#memory, since);
    if (memory.length !== this.#memory.length || memory.at(-1) !== this.#memory.at(-1)) {
      this.#memory = memory;
      storage.set(MEMORY_KEY, JSON.stringify(memory));
    }
    const newest = alerts[0];
    if (newest === undefined) return;
    this.#cards.add(alerts);
    const params = {
      mag: i18n.mag(newest.mag),
      place: placeOf(newest, i18n),
      count: alerts.length,
    };
    this.#announcer.say(
      i18n.t(alerts.length === 1 ? 'alert.announce' : 'alert.announceMany', params),
    );
    for (const quake of notify) this.#notifier.notify(quake, i18n);
  }
}
