/**
 * Highlights a quake that just arrived: a ring that grows and fades three times around its
 * marker, then goes away. With reduced motion the ring stands still for the same time.
 */
import * as L from 'leaflet';

const DURATION_MS = 1600;
const REPEATS = 3;

export function pulse(
  map: L.Map,
  renderer: L.Renderer,
  at: L.LatLngExpression,
  radius: number,
  colour: string,
  reducedMotion: boolean,
): void {
  const ring = L.circleMarker(at, {
    renderer,
    radius: radius + 4,
    fill: false,
    color: colour,
    weight: 2.5,
    opacity: 1,
    interactive: false,
  }).addTo(map);
  if (reducedMotion) {
    setTimeout(() => ring.remove(), DURATION_MS * REPEATS);
    return;
  }
  const start = performance.now();
  const frame = (now: number) => {
    const elapsed = now - start;
    if (elapsed >= DURATION_MS * REPEATS || !map.hasLayer(ring)) {
      ring.remove();
      return;
    }
    const phase = (elapsed % DURATION_MS) / DURATION_MS;
    ring.setRadius(radius + 4 + phase * 22);
    ring.setStyle({ opacity: 1 - phase });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
