/**
 * Optional browser notifications for alerts. Nothing is asked until the user presses the button;
 * the opt-in is remembered, and the browser's own permission always has the last word.
 */
import type { Quake } from '../../core/quake.ts';
import type { NotifyState } from '../header/preferences.ts';
import type { I18n } from '../i18n/i18n.ts';
import { placeOf } from '../map/popup.ts';
import { storage } from '../state/storage.ts';

export class Notifier {
  get state(): NotifyState {
    if (typeof Notification === 'undefined') return 'unsupported';
    if (Notification.permission === 'denied') return 'denied';
    return Notification.permission === 'granted' && storage.get('notify') === '1' ? 'on' : 'off';
  }

  async enable(): Promise<NotifyState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    const permission = await Notification.requestPermission();
    if (permission === 'granted') storage.set('notify', '1');
    return this.state;
  }

  notify(quake: Quake, i18n: I18n): void {
    if (this.state !== 'on') return;
    // The tag makes the browser show one notification per quake even if this runs twice.
    new Notification(`${i18n.t('alert.title')} · M${i18n.mag(quake.mag)}`, {
      // First-strong isolate .. pop: the place's own direction stays inside it.
      body: `\u2068${placeOf(quake, i18n)}\u2069\n${i18n.local(quake.time, quake)}`,
      tag: quake.id,
    });
  }
}
