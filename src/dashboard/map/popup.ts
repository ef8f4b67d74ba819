/** The popup of one quake, built from DOM nodes and textContent only (place names are untrusted). */
import { clip } from '../../core/errors.ts';
import type { Quake } from '../../core/quake.ts';
import { type ColourBy, depthColour, magnitudeColour, textColourOn } from '../../core/scale.ts';
import type { TimeZoneChoice } from '../../core/time-zone.ts';
import type { I18n, MessageKey } from '../i18n/i18n.ts';
import { fillImpactTags, impactTags } from '../list/impact-tags.ts';
import { el } from '../ui/dom.ts';

const USGS_HOST = 'earthquake.usgs.gov';

/** The popup's first time: named by the zone it is written in. */
const TIME_LABEL: Readonly<Record<TimeZoneChoice, MessageKey>> = {
  local: 'quake.time',
  epicentre: 'quake.time.epicentre',
  utc: 'quake.utc',
};

/** A coloured magnitude badge ("5.2"); list rows paint their own with paintBadge. */
function magBadge(quake: Quake, i18n: I18n, colourBy: ColourBy = 'magnitude'): HTMLElement {
  const badge = el('span', { className: 'mag-badge', text: i18n.mag(quake.mag) });
  paintBadge(badge, quake, colourBy);
  return badge;
}

export function paintBadge(badge: HTMLElement, quake: Quake, colourBy: ColourBy): void {
  const colour = colourBy === 'depth' ? depthColour(quake.depth) : magnitudeColour(quake.mag);
  badge.style.backgroundColor = colour;
  badge.style.color = textColourOn(colour);
}

export function placeOf(quake: Quake, i18n: I18n): string {
  return quake.place ?? i18n.t('quake.unknownPlace');
}

/** USGS's event type in the reader's language; a type USGS adds later is shown as it comes. */
export function typeName(type: string, i18n: I18n): string {
  const key = `type.${type}`;
  return i18n.has(key) ? i18n.t(key) : type;
}

export function depthText(quake: Quake, i18n: I18n): string {
  return quake.depth === null
    ? i18n.t('quake.unknown')
    : i18n.t('quake.depthValue', { km: i18n.decimal(quake.depth) });
}

function statusText(status: string | null, i18n: I18n): string {
  if (status === 'reviewed' || status === 'automatic' || status === 'deleted') {
    return i18n.t(`quake.status.${status}` as MessageKey);
  }
  return status ?? i18n.t('quake.unknown');
}

export function popupContent(quake: Quake, i18n: I18n, colourBy: ColourBy): HTMLElement {
  const facts: [MessageKey, string][] = [
    [TIME_LABEL[i18n.zone], i18n.local(quake.time, quake)],
    ...(i18n.zone === 'utc' ? [] : [['quake.utc', i18n.utc(quake.time)] as [MessageKey, string]]),
    ['quake.depth', depthText(quake, i18n)],
    ['quake.coords', `${i18n.decimal(quake.lat)}, ${i18n.decimal(quake.lon)}`],
    ['quake.tsunami', i18n.t(quake.tsunami ? 'quake.tsunami.yes' : 'quake.tsunami.no')],
    ['quake.status', statusText(quake.status, i18n)],
  ];
  if (quake.type !== 'earthquake') facts.push(['quake.type', typeName(quake.type, i18n)]);
  const list = el('dl', { className: 'facts' });
  for (const [key, value] of facts) {
    list.append(el('dt', { text: i18n.t(key) }), el('dd', { text: value }));
  }
  const head = el(
    'div',
    { className: 'popup-head' },
    magBadge(quake, i18n, colourBy),
    el('span', { className: 'mag-type', text: quake.magType ?? '' }),
    el('strong', { className: 'popup-place', text: placeOf(quake, i18n), attrs: { dir: 'auto' } }),
  );
  const link =
    quake.url === null
      ? null
      : el('a', {
          className: 'popup-link',
          text: `${linkLabel(quake.url, i18n)} ↗`,
          attrs: { href: quake.url, target: '_blank', rel: 'noopener noreferrer' },
        });
  if (quake.tsunami) head.append(el('span', { className: 'tag tag-tsunami', text: 'tsunami' }));
  // Impact as tags in the head, like the list's: the popup stays short enough to open in place.
  const impact = impactTags();
  fillImpactTags(impact, quake, i18n);
  head.append(...impact.all);
  return el('div', { className: 'popup', dataset: { id: quake.id } }, head, list, link);
}

/** "View on USGS" for USGS's own pages; any other link names the host it opens, so a feed cannot pass another site off as USGS. */
function linkLabel(url: string, i18n: I18n): string {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // Not a URL a browser can parse: name the text itself.
  }
  return host === USGS_HOST
    ? i18n.t('quake.link')
    : i18n.t('quake.linkOther', { host: clip(host) });
}
