/** The impact checkboxes: felt (DYFI), has a ShakeMap, PAGER yellow or above (core/impact.ts). */
import { IMPACTS, type Impact } from '../../core/impact.ts';

export class ImpactFilter {
  readonly #boxes: HTMLInputElement[];
  onChange: (impact: readonly Impact[]) => void = () => {};

  constructor(root: HTMLElement) {
    this.#boxes = [...root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    for (const box of this.#boxes) {
      box.addEventListener('change', () =>
        this.onChange(IMPACTS.filter((need) => this.#box(need)?.checked === true)),
      );
    }
  }

  sync(impact: readonly Impact[]): void {
    for (const box of this.#boxes) box.checked = impact.includes(box.value as Impact);
  }

  #box(need: Impact): HTMLInputElement | undefined {
    return this.#boxes.find((box) => box.value === need);
  }
}
