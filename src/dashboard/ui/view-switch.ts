/**
 * On phones the page shows one view at a time, map, list or the side panel (statistics and
 * filters), chosen with the buttons under the header; wider screens show all three and hide the
 * buttons. The chosen view is <body data-view>, which the stylesheet reads.
 */
export type View = 'map' | 'list' | 'side';

/** Keep in step with the stylesheet's phone breakpoint. */
const PHONE = '(max-width: 760px)';

export class ViewSwitch {
  readonly #buttons: HTMLButtonElement[];
  readonly #phone = matchMedia(PHONE);
  /** Called after the view changed (the map must measure its box again when it reappears). */
  onChange: (view: View) => void = () => {};

  constructor(nav: HTMLElement) {
    this.#buttons = [...nav.querySelectorAll<HTMLButtonElement>('button[data-view]')];
    for (const button of this.#buttons) {
      button.addEventListener('click', () => this.show(button.dataset.view as View));
    }
    this.#mark(this.view);
  }

  /** Whether one view shows at a time (a phone-sized window). */
  get single(): boolean {
    return this.#phone.matches;
  }

  get view(): View {
    return (document.body.dataset.view as View | undefined) ?? 'map';
  }

  show(view: View): void {
    if (view === this.view) return;
    document.body.dataset.view = view;
    this.#mark(view);
    this.onChange(view);
  }

  #mark(view: View): void {
    for (const button of this.#buttons) {
      button.setAttribute('aria-pressed', String(button.dataset.view === view));
    }
  }
}
