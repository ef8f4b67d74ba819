/**
 * The world basemap that needs no network: Natural Earth land, coasts and borders, inlined in
 * index.html at build time and drawn on canvas tiles. It is always there, under optional online
 * tiles, so the map stays readable from file:// with no connection.
 */

import { BORDERS, FACTOR, LAND } from 'sismos:basemap';
import * as L from 'leaflet';
import { type TileArea, tileArea } from '../../core/map-view.ts';
import { decodeLines } from '../../core/polyline.ts';

/** A line in Web Mercator units (0..1 across the world) with its bounding box. */
interface Shape {
  readonly points: Float64Array;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export interface BasemapColours {
  readonly land: string;
  readonly coast: string;
  readonly border: string;
  readonly graticule: string;
}

const MAX_LAT = 85.0511287798;
/**
 * A tile's side in CSS pixels. Every canvas is a layer of its own for the compositor, which then
 * does work for each on every frame (a status line's new text included): 512 makes a quarter as
 * many as Leaflet's usual 256.
 */
const TILE = 512;

function mercatorY(lat: number): number {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
}

function toShapes(encoded: string): Shape[] {
  return decodeLines(encoded, FACTOR).map((line) => {
    const points = new Float64Array(line.length);
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < line.length; i += 2) {
      const x = ((line[i] as number) + 180) / 360;
      const y = mercatorY(line[i + 1] as number);
      points[i] = x;
      points[i + 1] = y;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    return { points, minX, minY, maxX, maxY };
  });
}

/** Segments along the antimeridian or the map's bottom edge are cuts in the data, not coasts. */
function isCut(x0: number, y0: number, x1: number, y1: number): boolean {
  const alongEdge = x0 === x1 && (Math.abs(x0) < 1e-9 || Math.abs(x0 - 1) < 1e-9);
  return alongEdge || (y0 > 0.98 && y1 > 0.98);
}

export class BasemapLayer extends L.GridLayer {
  #land: Shape[] | null = null;
  #borders: Shape[] = [];
  #colours: BasemapColours;

  constructor(colours: BasemapColours) {
    super({ tileSize: TILE, updateWhenZooming: false, keepBuffer: 2, className: 'basemap' });
    this.#colours = colours;
  }

  setColours(colours: BasemapColours): void {
    this.#colours = colours;
    this.redraw();
  }

  override createTile(coords: L.Coords): HTMLElement {
    if (this.#land === null) {
      this.#land = toShapes(LAND);
      this.#borders = toShapes(BORDERS);
    }
    const canvas = document.createElement('canvas');
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    canvas.width = TILE * ratio;
    canvas.height = TILE * ratio;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return canvas;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const box = tileArea(coords.x, coords.y, coords.z, TILE);
    this.#drawGraticule(ctx, box, coords.z);
    const land = copiesIn(this.#land, box);
    ctx.beginPath();
    for (const [shape, shift] of land) trace(ctx, shape, box, shift, false);
    ctx.fillStyle = this.#colours.land;
    ctx.fill('evenodd');
    ctx.lineJoin = 'round';
    ctx.beginPath();
    for (const [shape, shift] of land) trace(ctx, shape, box, shift, true);
    ctx.strokeStyle = this.#colours.coast;
    ctx.lineWidth = 0.8;
    ctx.stroke();
    ctx.beginPath();
    for (const [shape, shift] of copiesIn(this.#borders, box)) trace(ctx, shape, box, shift, false);
    ctx.strokeStyle = this.#colours.border;
    ctx.lineWidth = 0.6;
    ctx.stroke();
    return canvas;
  }

  #drawGraticule(ctx: CanvasRenderingContext2D, box: TileArea, zoom: number): void {
    const step = zoom < 3 ? 30 : zoom < 5 ? 10 : 5;
    ctx.beginPath();
    for (let lon = -180; lon <= 180; lon += step) {
      const x = ((lon + 180) / 360) * box.scale - box.x;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, TILE);
    }
    for (let lat = -80; lat <= 80; lat += step) {
      const y = mercatorY(lat) * box.scale - box.y;
      ctx.moveTo(0, y);
      ctx.lineTo(TILE, y);
    }
    ctx.strokeStyle = this.#colours.graticule;
    ctx.lineWidth = 0.5;
    ctx.stroke();
  }
}

/**
 * The shapes that touch a tile, each with the shift (in worlds) to draw it at: a shape reaching
 * past 180° (Chukotka, Fiji) also shows one world to the left, and the other way round.
 */
function copiesIn(shapes: readonly Shape[], box: TileArea): [Shape, number][] {
  const out: [Shape, number][] = [];
  for (const shape of shapes) {
    for (const shift of [0, -1, 1]) {
      if (shift === -1 && shape.maxX <= 1) continue;
      if (shift === 1 && shape.minX >= 0) continue;
      if (
        shape.maxX + shift >= box.minX - box.margin &&
        shape.minX + shift <= box.maxX + box.margin &&
        shape.maxY >= box.minY - box.margin &&
        shape.minY <= box.maxY + box.margin
      ) {
        out.push([shape, shift]);
      }
    }
  }
  return out;
}

/** Adds a shape to the current path in tile pixels; `skipCuts` leaves data cuts undrawn (for strokes). */
function trace(
  ctx: CanvasRenderingContext2D,
  shape: Shape,
  box: TileArea,
  shift: number,
  skipCuts: boolean,
): void {
  const p = shape.points;
  const left = box.x - shift * box.scale;
  ctx.moveTo((p[0] as number) * box.scale - left, (p[1] as number) * box.scale - box.y);
  for (let i = 2; i < p.length; i += 2) {
    const x = (p[i] as number) * box.scale - left;
    const y = (p[i + 1] as number) * box.scale - box.y;
    if (
      skipCuts &&
      isCut(p[i - 2] as number, p[i - 1] as number, p[i] as number, p[i + 1] as number)
    ) {
      ctx.moveTo(x, y);
    } else {
      ctx.lineTo(x, y);
    }
  }
}
