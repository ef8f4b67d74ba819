/**
 * A quake's impact as USGS reports it, in the list and the popup: "Did You Feel It?" reports
 * with their highest intensity, the ShakeMap intensity, and the PAGER alert level.
 */
import { intensityNumeral } from '../../core/impact.ts';
import type { Quake } from '../../core/quake.ts';
import type { I18n, MessageKey } from '../i18n/i18n.ts';
import { el } from '../ui/dom.ts';

export interface ImpactTags {
  readonly felt: HTMLElement;
  readonly shakemap: HTMLElement;
  readonly pager: HTMLElement;
  readonly all: readonly HTMLElement[];
}

export function impactTags(): ImpactTags {
  const felt = el('span', { className: 'tag tag-felt', attrs: { title: 'Did You Feel It?' } });
  const shakemap = el('span', { className: 'tag tag-shakemap', attrs: { title: 'ShakeMap' } });
  const pager = el('span', { className: 'tag tag-pager', attrs: { title: 'PAGER' } });
  return { felt, shakemap, pager, all: [felt, shakemap, pager] };
}

/**
 * Fills the tags of a list row or a popup (hidden when USGS has nothing), short: "12 felt",
 * "MMI V" (ShakeMap's intensity), "PAGER yellow"; each names its source in its tooltip.
 */
export function fillImpactTags(tags: ImpactTags, quake: Quake, i18n: I18n): void {
  const felt = quake.felt !== null && quake.felt > 0;
  tags.felt.hidden = !felt;
  if (felt)
    tags.felt.textContent = i18n.t('impact.feltTag', { count: i18n.integer(quake.felt ?? 0) });
  tags.shakemap.hidden = quake.mmi === null;
  if (quake.mmi !== null) tags.shakemap.textContent = `MMI ${intensityNumeral(quake.mmi)}`;
  tags.pager.hidden = quake.alert === null;
  if (quake.alert !== null) {
    tags.pager.textContent = `PAGER ${i18n.t(`impact.pager.${quake.alert}` as MessageKey)}`;
    tags.pager.dataset.level = quake.alert;
  }
}
