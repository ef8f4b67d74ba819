/**
 * The one canvas every quake is drawn on: Leaflet's L.Canvas renderer (which keeps positioning,
 * panning, zoom animation and the pulse rings, ordinary Leaflet circle markers), plus the quakes
 * as dots. A dot is one small record per quake, kept by id and changed in place like a circle
 * marker, but without a Leaflet layer behind it: creating, adding and drawing 20,000 L.CircleMarkers
 * cost about 15 µs each (events, options and bounds objects, six canvas state changes per circle),
 * which made a 20,000-quake feed take seconds to appear (docs/benchmarks.md).
 *
 * A dot is drawn by stamping a picture of its look (colour, outline and radius, drawn once as
 * Leaflet would draw the circle), and hit-tested for clicks and the pointer cursor exactly as
 * Leaflet hit-tests a circle marker. Smaller dots are drawn above larger ones, so a swarm of
 * small quakes around a large one stays visible and clickable; the selected dot is drawn last,
 * on top of all. When the view is wider than the world, every copy of the world in view shows
 * its dots (the basemap repeats too). Below CLUSTER_BELOW_ZOOM a crowded cell of the screen is
 * drawn as one cluster with its count (see gridClusters); clicking it zooms in until it splits.
 * The canvas publishes data-clusters and data-clustered (dots inside clusters) for tests.
 */
import * as L from 'leaflet';
import { type Cluster, gridClusters } from '../../core/clusters.ts';
import { WORLD_PX } from '../../core/map-view.ts';

/** How a dot looks; dots that look alike share one object (and one picture per radius). */
export interface DotLook {
  readonly fillColor: string;
  readonly fillOpacity: number;
  readonly color: string;
  readonly weight: number;
  readonly opacity: number;
}

/** A quake on the canvas. Change it only through QuakeCanvas.update(). */
export interface Dot {
  readonly id: string;
  readonly lat: number;
  /** The longitude copy it is drawn at (see nearestCopy). */
  readonly lng: number;
  /** Radius in CSS pixels. */
  readonly radius: number;
  readonly look: DotLook;
}

interface DrawnDot extends Dot {
  lat: number;
  lng: number;
  radius: number;
  look: DotLook;
  /** Position in layer pixels (whole pixels, as Leaflet rounds them) at the renderer's zoom. */
  x: number;
  y: number;
  shown: boolean;
}

interface Picture {
  readonly image: HTMLCanvasElement;
  /** Distance from the picture's corner to the circle's centre, in CSS pixels. */
  readonly half: number;
}

/** An L.Bounds that has its corners (Leaflet's renderer bounds always do). */
type Box = L.Bounds & { min: L.Point; max: L.Point };

/**
 * The private members of Leaflet's canvas renderer this class builds on; a release may rename any
 * of them, which is why package.json pins leaflet to the exact version the tests run (1.9.4).
 * Leaflet has no public API to draw on a renderer's canvas or to hit-test anything but its layers.
 * - _container, the canvas: the pointer cursor over a dot.
 * - _ctx, its context, and _bounds, the area in view: dots are stamped there, those outside skipped.
 * - _redrawRequest, _redrawBounds: dots join Leaflet's own repaint of a changed area, so they and
 *   the pulse rings paint in one pass.
 * - _fireEvent, and the map's _draggableMoved: the map hears canvas clicks as it would without
 *   the dots, and the end of a drag is not a click.
 * - _redraw, _draw, _reset, _onZoomEnd (overridden below): project and draw the dots with
 *   Leaflet's paths; _onClick, _handleMouseHover, _handleMouseOut: hit-test dots, not layers.
 */
interface CanvasInternals {
  _container: HTMLCanvasElement;
  _ctx: CanvasRenderingContext2D;
  _bounds: Box;
  _redrawRequest: number | null | undefined;
  _redrawBounds: Box | null | undefined;
  _redraw(): void;
  _draw(): void;
  _reset(): void;
  _onZoomEnd(): void;
  _fireEvent(layers: L.Layer[] | false, event: Event, type?: string): void;
}

type MapInternals = L.Map & { _draggableMoved(target: unknown): boolean };

const base = L.Canvas.prototype as unknown as CanvasInternals & {
  onAdd(map: L.Map): void;
  onRemove(map: L.Map): void;
};

/** Web Mercator's latitude limit, as Leaflet's EPSG:3857 clamps it. */
const MAX_LATITUDE = 85.0511287798;
/** How often hovering re-checks what is under the pointer, as Leaflet does. */
const HOVER_MS = 32;
/** From this zoom on (about a country across the screen) every quake is a dot of its own. */
const CLUSTER_BELOW_ZOOM = 4;
/** A cell of the screen, in CSS pixels, holding at least CLUSTER_MIN dots becomes a cluster. */
const CLUSTER_CELL = 56;
const CLUSTER_MIN = 25;
const CLUSTER_FILL = 'rgb(47 95 208 / 88%)';

export class QuakeCanvas extends L.Canvas {
  /** Shown dots in drawing order. */
  #dots: DrawnDot[] = [];
  #selected: DrawnDot | null = null;
  /** Pictures by look and radius; a look no longer used takes its pictures with it. */
  readonly #pictures = new WeakMap<DotLook, Map<number, Picture>>();
  /** The next repaint covers the whole canvas. */
  #whole = false;
  /** Dots were added or resized since they were last put in drawing order (largest first). */
  #unsorted = false;
  /** The world's width in layer pixels at the renderer's zoom. */
  #worldPx = WORLD_PX;
  /** The clusters of the last whole repaint, and the dots they hold (not drawn on their own). */
  #clusters: Cluster[] = [];
  #clustered: ReadonlySet<DrawnDot> = new Set();
  #hoverPaused = false;
  /** The map this renderer is on, if any. */
  #map: MapInternals | null = null;
  /** Called with the id of a clicked dot. */
  onClick: (id: string) => void = () => {};
  /** Dots this large or larger (the strong quakes) are never hidden in a cluster. */
  clusterBelowRadius = Number.POSITIVE_INFINITY;

  get #self(): CanvasInternals {
    return this as unknown as CanvasInternals;
  }

  /** A dot for a quake, not on the canvas yet. */
  dot(id: string, lat: number, lng: number, radius: number, look: DotLook): Dot {
    const dot: DrawnDot = { id, lat, lng, radius, look, x: 0, y: 0, shown: false };
    return dot;
  }

  /** Puts dots on the canvas, above those already on it. */
  show(dots: readonly Dot[]): void {
    if (dots.length === 0) return;
    const scale = this.#projection();
    for (const dot of dots as readonly DrawnDot[]) {
      if (dot.shown) continue;
      dot.shown = true;
      if (scale !== null) this.#project(dot, scale);
      this.#dots.push(dot);
    }
    this.#unsorted = true;
    this.#changed(dots as readonly DrawnDot[]);
  }

  /** Takes dots off the canvas; they keep their place and look for when they are shown again. */
  hide(dots: readonly Dot[]): void {
    if (dots.length === 0) return;
    for (const dot of dots as readonly DrawnDot[]) dot.shown = false;
    this.#dots = this.#dots.filter((dot) => dot.shown);
    this.#changed(dots as readonly DrawnDot[]);
  }

  /** Moves, resizes or restyles a dot. */
  update(dot: Dot, change: Partial<Pick<Dot, 'lat' | 'lng' | 'radius' | 'look'>>): void {
    const drawn = dot as DrawnDot;
    if (drawn.shown) this.#changed([drawn]);
    Object.assign(drawn, change);
    if (change.radius !== undefined) this.#unsorted = true;
    const scale = this.#projection();
    if (scale !== null) this.#project(drawn, scale);
    if (drawn.shown) this.#changed([drawn]);
  }

  /** Draws `dot` above all others (null: none). */
  select(dot: Dot | null): void {
    const previous = this.#selected;
    this.#selected = dot as DrawnDot | null;
    this.#changed([previous, this.#selected].filter((d): d is DrawnDot => d?.shown === true));
  }

  /** Repaints the whole canvas at the next frame or flush(). */
  repaintAll(): void {
    this.#whole = true;
    this.#request();
  }

  /** Paints what changed now instead of at the next animation frame. */
  flush(): void {
    const self = this.#self;
    if (self._redrawRequest === null || self._redrawRequest === undefined) return;
    L.Util.cancelAnimFrame(self._redrawRequest);
    self._redraw();
  }

  /** Repaints around a few changed dots, or everything when many changed. */
  #changed(dots: readonly DrawnDot[]): void {
    // Several copies of the world in view: a changed dot shows in each, so all is repainted.
    const copies = this.#map !== null && this.#map.getSize().x > this.#worldPx;
    // A changed dot may join or leave a cluster: clusters are made on whole repaints.
    const clustering = this.#map !== null && this.#map.getZoom() < CLUSTER_BELOW_ZOOM;
    if (this.#whole || copies || clustering || dots.length > 64) {
      this.repaintAll();
      return;
    }
    const self = this.#self;
    for (const dot of dots) {
      const reach = dot.radius + dot.look.weight + 1;
      const from = L.point(dot.x - reach, dot.y - reach);
      const to = L.point(dot.x + reach, dot.y + reach);
      if (!self._redrawBounds) self._redrawBounds = L.bounds(from, to) as Box;
      else self._redrawBounds.extend(from).extend(to);
    }
    this.#request();
  }

  #request(): void {
    const self = this.#self;
    if (this.#map === null) return;
    self._redrawRequest ??= L.Util.requestAnimFrame(self._redraw, this);
  }

  /** The map's scale and pixel origin, or null while the renderer is not on a loaded map. */
  #projection(): { scale: number; originX: number; originY: number } | null {
    const map = this.#map;
    if (map === null) return null;
    const origin = map.getPixelOrigin();
    this.#worldPx = WORLD_PX * 2 ** map.getZoom();
    return { scale: this.#worldPx, originX: origin.x, originY: origin.y };
  }

  /** map.latLngToLayerPoint (Web Mercator, rounded as Leaflet rounds) without allocating. */
  #project(
    dot: DrawnDot,
    { scale, originX, originY }: { scale: number; originX: number; originY: number },
  ): void {
    const sin = Math.sin(
      (Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, dot.lat)) * Math.PI) / 180,
    );
    dot.x = Math.round(scale * (0.5 + dot.lng / 360)) - originX;
    dot.y = Math.round(scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI))) - originY;
  }

  #projectAll(): void {
    const scale = this.#projection();
    if (scale === null) return;
    for (const dot of this.#dots) this.#project(dot, scale);
  }

  /** Groups the shown dots (the selected and the large ones aside) into clusters, at low zoom only. */
  #cluster(): void {
    const map = this.#map;
    if (map === null || map.getZoom() >= CLUSTER_BELOW_ZOOM) {
      this.#clusters = [];
      this.#clustered = new Set();
    } else {
      const dots = this.#dots.filter(
        (dot) => dot !== this.#selected && dot.radius < this.clusterBelowRadius,
      );
      const { clusters, member } = gridClusters(
        dots.map((dot) => dot.x),
        dots.map((dot) => dot.y),
        CLUSTER_CELL,
        CLUSTER_MIN,
      );
      this.#clusters = clusters;
      this.#clustered = new Set(dots.filter((_, i) => (member[i] as number) >= 0));
    }
    const canvas = this.#self._container;
    canvas.dataset.clusters = String(this.#clusters.length);
    canvas.dataset.clustered = String(this.#clustered.size);
  }

  /** The cluster under a layer point (at any copy of the world), or null. */
  #clusterAt(point: L.Point): Cluster | null {
    const world = this.#worldPx;
    for (const cluster of this.#clusters) {
      const dx = point.x - cluster.x - world * Math.round((point.x - cluster.x) / world);
      if (Math.hypot(dx, point.y - cluster.y) <= clusterRadius(cluster.count)) return cluster;
    }
    return null;
  }

  /** The topmost dot under a layer point, with Leaflet's click tolerance (half the outline). */
  #hit(point: L.Point): DrawnDot | null {
    const world = this.#worldPx;
    const hits = (dot: DrawnDot) => {
      // The copy of the dot nearest the point.
      const dx = point.x - dot.x - world * Math.round((point.x - dot.x) / world);
      return Math.hypot(dx, point.y - dot.y) <= dot.radius + dot.look.weight / 2;
    };
    const selected = this.#selected;
    if (selected?.shown && hits(selected)) return selected;
    for (let i = this.#dots.length - 1; i >= 0; i--) {
      const dot = this.#dots[i] as DrawnDot;
      if (hits(dot) && !this.#clustered.has(dot)) return dot;
    }
    return null;
  }

  #drawDots(): void {
    const self = this.#self;
    const ctx = self._ctx;
    const clip = self._redrawBounds ?? null;
    const view = self._bounds;
    ctx.save();
    if (clip !== null) {
      ctx.beginPath();
      ctx.rect(clip.min.x, clip.min.y, clip.max.x - clip.min.x, clip.max.y - clip.min.y);
      ctx.clip();
    }
    const area = clip ?? view;
    if (this.#unsorted) {
      this.#dots.sort((a, b) => b.radius - a.radius);
      this.#unsorted = false;
    }
    if (clip === null) this.#cluster();
    const selected = this.#selected;
    const clustered = this.#clustered;
    for (const dot of this.#dots) {
      if (dot !== selected && !clustered.has(dot)) this.#drawDot(ctx, dot, area);
    }
    if (this.#clusters.length > 0) this.#drawClusters(ctx, area);
    if (selected?.shown) this.#drawDot(ctx, selected, area);
    ctx.restore();
  }

  #drawDot(ctx: CanvasRenderingContext2D, dot: DrawnDot, { min, max }: Box): void {
    const reach = dot.radius + dot.look.weight;
    if (dot.y + reach < min.y || dot.y - reach > max.y) return;
    const world = this.#worldPx;
    let x = dot.x + world * Math.ceil((min.x - reach - dot.x) / world);
    if (x - reach > max.x) return;
    const picture = this.#picture(dot.look, Math.max(Math.round(dot.radius), 1));
    const size = picture.half * 2;
    for (; x - reach <= max.x; x += world) {
      ctx.drawImage(picture.image, x - picture.half, dot.y - picture.half, size, size);
    }
  }

  #drawClusters(ctx: CanvasRenderingContext2D, { min, max }: Box): void {
    const world = this.#worldPx;
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    ctx.font = '700 12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 2;
    for (const cluster of this.#clusters) {
      const radius = clusterRadius(cluster.count);
      if (cluster.y + radius < min.y || cluster.y - radius > max.y) continue;
      let x = cluster.x + world * Math.ceil((min.x - radius - cluster.x) / world);
      for (; x - radius <= max.x; x += world) {
        ctx.beginPath();
        ctx.arc(x, cluster.y, radius, 0, Math.PI * 2);
        ctx.fillStyle = CLUSTER_FILL;
        ctx.strokeStyle = '#ffffff';
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = '#ffffff';
        ctx.fillText(format.format(cluster.count), x, cluster.y);
      }
    }
  }

  /** The circle as Leaflet would draw it (fill, then outline), on a small canvas of its own. */
  #picture(look: DotLook, radius: number): Picture {
    let byRadius = this.#pictures.get(look);
    if (byRadius === undefined) {
      byRadius = new Map();
      this.#pictures.set(look, byRadius);
    }
    const known = byRadius.get(radius);
    if (known !== undefined) return known;
    const scale = L.Browser.retina ? 2 : 1;
    // Whole pixels, so the circle's centre falls where Leaflet would put it.
    const half = radius + Math.ceil(look.weight / 2) + 1;
    const image = document.createElement('canvas');
    image.width = image.height = 2 * half * scale;
    const ctx = image.getContext('2d') as CanvasRenderingContext2D;
    ctx.scale(scale, scale);
    ctx.beginPath();
    ctx.arc(half, half, radius, 0, Math.PI * 2, false);
    ctx.globalAlpha = look.fillOpacity;
    ctx.fillStyle = look.fillColor;
    ctx.fill('evenodd');
    if (look.weight > 0) {
      ctx.globalAlpha = look.opacity;
      ctx.lineWidth = look.weight;
      ctx.strokeStyle = look.color;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.stroke();
    }
    const picture = { image, half };
    byRadius.set(radius, picture);
    return picture;
  }

  // ---- Leaflet's canvas renderer, extended ----

  override onAdd(map: L.Map): this {
    this.#map = map as MapInternals;
    this.#projectAll();
    base.onAdd.call(this, map);
    return this;
  }

  override onRemove(map: L.Map): this {
    base.onRemove.call(this, map);
    this.#map = null;
    return this;
  }

  _redraw(): void {
    if (this.#whole) this.#self._redrawBounds = null;
    this.#whole = false;
    base._redraw.call(this);
  }

  /** Dots first, then Leaflet's own paths (the pulse rings) above them. */
  _draw(): void {
    this.#drawDots();
    base._draw.call(this);
  }

  _reset(): void {
    this.#projectAll();
    base._reset.call(this);
  }

  _onZoomEnd(): void {
    this.#projectAll();
    base._onZoomEnd.call(this);
  }

  _onClick(event: MouseEvent): void {
    const self = this.#self;
    const map = this.#map;
    if (map === null) return;
    // The map hears every click first, as it would without the canvas (it closes popups).
    self._fireEvent(false, event);
    if (event.type !== 'click' || map._draggableMoved(map)) return;
    const point = map.mouseEventToLayerPoint(event);
    const cluster = this.#clusterAt(point);
    if (cluster !== null) {
      map.setView(map.layerPointToLatLng(L.point(cluster.x, cluster.y)), CLUSTER_BELOW_ZOOM);
      return;
    }
    const dot = this.#hit(point);
    if (dot !== null) this.onClick(dot.id);
  }

  /** Shows the pointer cursor over a dot. */
  _handleMouseHover(event: MouseEvent, point: L.Point): void {
    const self = this.#self;
    self._fireEvent(false, event);
    if (this.#hoverPaused) return;
    this.#hoverPaused = true;
    setTimeout(() => {
      this.#hoverPaused = false;
    }, HOVER_MS);
    const over = this.#clusterAt(point) !== null || this.#hit(point) !== null;
    self._container.classList.toggle('leaflet-interactive', over);
  }

  _handleMouseOut(): void {
    this.#self._container.classList.remove('leaflet-interactive');
  }
}

/** A cluster's radius in CSS pixels: room for its count, growing slowly with it. */
function clusterRadius(count: number): number {
  return 11 + 4 * Math.log10(count);
}
