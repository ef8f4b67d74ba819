/**
 * The windows the dashboard's chart draws: the WINDOWS_SHOWN windows up to the one holding the
 * reference time. In live mode the bridge sends their figures; when the page polls, it computes
 * them from its own quakes with windowsOf(), as the Kafka stats service and Spark would.
 */
import type { Quake } from './quake.ts';
import { type WindowSpec, type WindowStats, windowStarts, windowsOf } from './window.ts';

/** Two hours of 5-minute windows. */
export const WINDOWS_SHOWN = 24;

/** The starts of the windows shown, oldest first. */
export function shownStarts(spec: WindowSpec, reference: number): number[] {
  const last = windowStarts(reference, spec).at(-1) ?? reference;
  return Array.from(
    { length: WINDOWS_SHOWN },
    (_, i) => last - (WINDOWS_SHOWN - 1 - i) * spec.slideMs,
  );
}

/**
 * The figures of the windows shown that hold a quake, oldest first. Only the quakes of their
 * time range are counted: a few hundred out of a 20,000-quake feed.
 */
export function shownWindows(
  quakes: Iterable<Quake>,
  spec: WindowSpec,
  reference: number,
): WindowStats[] {
  const starts = shownStarts(spec, reference);
  const from = starts[0] as number;
  const to = (starts.at(-1) as number) + spec.sizeMs;
  const inRange: Quake[] = [];
  for (const quake of quakes) if (quake.time >= from && quake.time < to) inRange.push(quake);
  const shown = new Set(starts);
  return windowsOf(inRange, spec).filter((window) => shown.has(window.start));
}
