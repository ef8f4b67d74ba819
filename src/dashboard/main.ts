import * as L from 'leaflet';
import { parseFeedText } from '../core/feed.ts';
import { feedUrl } from '../core/feeds.ts';

const status = document.getElementById('status') as HTMLElement;
const feed =
  new URLSearchParams(location.search).get('feed') ?? feedUrl({ level: 'all', period: 'day' });

const map = L.map('map', { worldCopyJump: true }).setView([20, 0], 2);
const renderer = L.canvas();

try {
  const response = await fetch(feed);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { quakes } = parseFeedText(await response.text());
  for (const quake of quakes) {
    L.circleMarker([quake.lat, quake.lon], {
      renderer,
      radius: 2 + Math.max(quake.mag ?? 0, 0) * 1.5,
    }).addTo(map);
  }
  status.textContent = `${quakes.length} sismos`;
  status.dataset.count = String(quakes.length);
} catch (error) {
  status.textContent = `No se pudo cargar ${feed}: ${error instanceof Error ? error.message : String(error)}`;
}
