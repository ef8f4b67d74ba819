import {
  type CommerceEvent,
  type CommerceEventType,
  EVENT_TYPES,
  revenueCents,
} from './ecommerce.ts';
import { HyperLogLog } from './hyperloglog.ts';

/** The window patterns of the notebook: time windows, sessions per user, and windows of N events. */
export type WindowPattern = 'tumbling' | 'sliding' | 'session' | 'count';

/** How many products a window names, as the notebook's value_counts().head(). */
export const TOP_PRODUCTS = 5;

/** The figures of one window, as the notebook's process_window() and sliding_window_aggregation() compute them. */
export interface CommerceWindow {
  readonly pattern: WindowPattern;
  /** The user of a session; empty for the other patterns, which span every user. */
  readonly key: string;
  /** Epoch ms for time windows and sessions; for count windows, the index of the first and one past the last event. */
  readonly start: number;
  readonly end: number;
  readonly totalEvents: number;
  /** Every event type with its count, zeros included, in funnel order. */
  readonly eventsByType: Readonly<Record<CommerceEventType, number>>;
  /** The most frequent products, most frequent first (ties by name), at most TOP_PRODUCTS. */
  readonly topProducts: readonly (readonly [string, number])[];
  /** Distinct users, counted exactly: a window holds its events in memory anyway. */
  readonly uniqueUsers: number;
  /** Sum of price × quantity of the purchases, in cents. */
  readonly revenueCents: number;
  /** Purchases per 100 views, as the notebook computes it (events, not users); 0 without views. */
  readonly conversionRate: number;
}

export function emptyTypeCounts(): Record<CommerceEventType, number> {
  return { view: 0, add_to_cart: 0, purchase: 0, remove_from_cart: 0 };
}

/** The figures of a window from its events (in any order: the result does not depend on it). */
export function windowFigures(
  pattern: WindowPattern,
  window: { readonly key: string; readonly start: number; readonly end: number },
  events: readonly CommerceEvent[],
): CommerceWindow {
  const eventsByType = emptyTypeCounts();
  const products = new Map<string, number>();
  const users = new Set<string>();
  let revenue = 0;
  for (const event of events) {
    eventsByType[event.type]++;
    products.set(event.product, (products.get(event.product) ?? 0) + 1);
    users.add(event.user);
    revenue += revenueCents(event);
  }
  const topProducts = [...products]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, TOP_PRODUCTS);
  return {
    pattern,
    key: window.key,
    start: window.start,
    end: window.end,
    totalEvents: events.length,
    eventsByType,
    topProducts,
    uniqueUsers: users.size,
    revenueCents: revenue,
    conversionRate: conversionRate(eventsByType.view, eventsByType.purchase),
  };
}

/** Purchases per 100 views; 0 when there were no views (the notebook's rule). */
export function conversionRate(views: number, purchases: number): number {
  return views > 0 ? (purchases / views) * 100 : 0;
}

/** The notebook's running totals (StreamProcessor.stats): every event read, whatever its window. */
export interface CommerceTotals {
  totalEvents: number;
  readonly eventsByType: Record<CommerceEventType, number>;
  revenueCents: number;
  /** The users of a stream without end: estimated in fixed memory rather than kept one by one. */
  readonly users: HyperLogLog;
}

export function emptyTotals(): CommerceTotals {
  return {
    totalEvents: 0,
    eventsByType: emptyTypeCounts(),
    revenueCents: 0,
    users: new HyperLogLog(),
  };
}

export function addToTotals(totals: CommerceTotals, event: CommerceEvent): void {
  totals.totalEvents++;
  totals.eventsByType[event.type]++;
  totals.revenueCents += revenueCents(event);
  totals.users.add(event.user);
}

/** Dollars as the notebook prints them: f"${x:,.2f}". */
export function formatDollars(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const rest = String(Math.abs(cents % 100)).padStart(2, '0');
  return `$${whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${rest}`;
}

const RULE = '='.repeat(50);

/** A window's span for people: UTC times for time windows and sessions, event indices for count windows. */
export function describeSpan(window: CommerceWindow): string {
  if (window.pattern === 'count') return `eventos ${window.start} a ${window.end - 1}`;
  const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const who = window.pattern === 'session' ? `${window.key} ` : '';
  return `${who}[${time(window.start)}, ${time(window.end)}) UTC`;
}

const PATTERN_NAMES: Readonly<Record<WindowPattern, string>> = {
  tumbling: 'ventana fija',
  sliding: 'ventana deslizante',
  session: 'sesión',
  count: 'ventana de conteo',
};

/** The notebook's process_window() print, for one window of any pattern, as lines. */
export function formatWindow(window: CommerceWindow): string[] {
  const width = Math.max(
    ...EVENT_TYPES.map((t) => t.length),
    ...window.topProducts.map(([p]) => p.length),
  );
  const row = (name: string, count: number) =>
    `${name.padEnd(width)}  ${String(count).padStart(5)}`;
  return [
    '',
    RULE,
    `PROCESANDO VENTANA DE ${window.totalEvents} EVENTOS`,
    `${PATTERN_NAMES[window.pattern]}: ${describeSpan(window)}`,
    RULE,
    '',
    'Eventos por tipo:',
    ...EVENT_TYPES.filter((type) => window.eventsByType[type] > 0).map((type) =>
      row(type, window.eventsByType[type]),
    ),
    '',
    'Productos más populares:',
    ...window.topProducts.map(([product, count]) => row(product, count)),
    '',
    `Usuarios únicos: ${window.uniqueUsers}`,
    `Tasa de conversión: ${window.conversionRate.toFixed(2)}%`,
    `Revenue de la ventana: ${formatDollars(window.revenueCents)}`,
  ];
}

/** The notebook's closing print (ESTADÍSTICAS FINALES), as lines. */
export function formatTotals(totals: CommerceTotals): string[] {
  return [
    '',
    RULE,
    'ESTADÍSTICAS FINALES',
    RULE,
    '',
    `Total de eventos: ${totals.totalEvents}`,
    '',
    'Eventos por tipo:',
    ...EVENT_TYPES.filter((type) => totals.eventsByType[type] > 0).map(
      (type) => `  ${type}: ${totals.eventsByType[type]}`,
    ),
    '',
    `Usuarios únicos (HyperLogLog, error típico ${(totals.users.standardError * 100).toFixed(1)}%): ${totals.users.estimate()}`,
    `Revenue total: ${formatDollars(totals.revenueCents)}`,
  ];
}

/** The record a window is published as on the results topic: its key, and a JSON value with the notebook's names. */
export function windowRecord(window: CommerceWindow): { key: string; value: string } {
  const time = window.pattern !== 'count';
  const at = (n: number) => (time ? new Date(n).toISOString() : n);
  return {
    key: `${window.pattern}|${window.key}|${at(window.start)}`,
    value: JSON.stringify({
      window_type: window.pattern,
      user_id: window.key === '' ? null : window.key,
      window_start: at(window.start),
      window_end: at(window.end),
      total_events: window.totalEvents,
      events_by_type: window.eventsByType,
      top_products: window.topProducts.map(([product, count]) => ({ product, count })),
      unique_users: window.uniqueUsers,
      total_revenue: window.revenueCents / 100,
      conversion_rate: Math.round(window.conversionRate * 100) / 100,
    }),
  };
}
