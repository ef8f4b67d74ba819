/** Speaks short messages to screen-reader users through a polite ARIA live region. */
export class Announcer {
  readonly #region: HTMLElement;

  constructor(region: HTMLElement) {
    this.#region = region;
  }

  say(text: string): void {
    // Emptied first, so the same sentence twice is announced twice.
    this.#region.textContent = '';
    requestAnimationFrame(() => {
      this.#region.textContent = text;
    });
  }
}
