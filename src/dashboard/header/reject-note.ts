/**
 * The features of the feed on screen that did not become quakes: a one-line count under the
 * status line that opens into each one's id and reason (built with textContent only: ids and
 * reasons quote the untrusted feed).
 */
import { clip } from '../../core/errors.ts';
import type { Reject } from '../../core/feed.ts';
import type { I18n } from '../i18n/i18n.ts';
import { el } from '../ui/dom.ts';

/** Reasons listed at most; a hostile feed can have thousands. */
const MAX_LISTED = 100;

export class RejectNote {
  readonly #box: HTMLDetailsElement;
  readonly #summary = el('summary');
  readonly #list = el('ul');
  #shown: { rejects: readonly Reject[]; i18n: I18n } | null = null;

  constructor(box: HTMLDetailsElement) {
    this.#box = box;
    box.replaceChildren(this.#summary, this.#list);
  }

  update(rejects: readonly Reject[], i18n: I18n): void {
    if (this.#shown?.rejects === rejects && this.#shown.i18n === i18n) return;
    this.#shown = { rejects, i18n };
    this.#box.hidden = rejects.length === 0;
    this.#summary.textContent = i18n.t('rejects.summary', { count: i18n.integer(rejects.length) });
    const items = rejects.slice(0, MAX_LISTED).map((reject) =>
      el('li', {
        text: `${reject.id === null ? i18n.t('rejects.position', { index: reject.index }) : clip(reject.id)}: ${reject.reason}`,
      }),
    );
    if (rejects.length > MAX_LISTED) {
      const more = i18n.integer(rejects.length - MAX_LISTED);
      items.push(el('li', { text: i18n.t('rejects.more', { count: more }) }));
    }
    this.#list.replaceChildren(...items);
  }
}
