import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CommerceEvent,
  type CommerceEventType,
  encodeCommerceEvent,
  readCommerceEvent,
} from '../../../src/core/ecommerce.ts';
import {
  conversionRate,
  formatDollars,
  formatTotals,
  formatWindow,
  windowFigures,
  windowRecord,
} from '../../../src/core/ecommerce-metrics.ts';
import { CommerceProcessor, DEFAULT_PROCESSOR } from '../../../src/core/ecommerce-processor.ts';
import { CommerceSimulator } from '../../../src/core/ecommerce-simulator.ts';
import { MessageError } from '../../../src/core/errors.ts';
import { runs } from '../../helpers/seed.ts';

const T0 = Date.UTC(2026, 11, 1, 10, 0);
const SEC = 1000;
const MIN = 60 * SEC;

let next = 0;
function event(
  type: CommerceEventType,
  seconds: number,
  { user = 'user_1', product = 'laptop', price = 100, quantity = 1 } = {},
): CommerceEvent {
  next++;
  return { id: `e${next}`, time: T0 + seconds * SEC, user, type, product, price, quantity };
}

describe('the figures of a window', () => {
  it('computes the notebook’s conversion rate: purchases per 100 views, 0 without views', () => {
    const stream = [
      event('view', 1),
      event('view', 2),
      event('view', 3),
      event('view', 4),
      event('add_to_cart', 5),
      event('purchase', 6, { price: 19.99, quantity: 3 }),
    ];
    const figures = windowFigures('tumbling', { key: '', start: T0, end: T0 + 20 * SEC }, stream);
    expect(figures.conversionRate).toBe(25);
    expect(figures.revenueCents).toBe(5997);
    expect(figures.eventsByType).toEqual({
      view: 4,
      add_to_cart: 1,
      purchase: 1,
      remove_from_cart: 0,
    });
    expect(conversionRate(0, 3)).toBe(0);
    expect(conversionRate(3, 1).toFixed(2)).toBe('33.33');
  });

  it('counts unique users exactly and ranks products by count, ties by name, five at most', () => {
    const stream = [
      'monitor',
      'mouse',
      'mouse',
      'keyboard',
      'laptop',
      'headphones',
      'cable',
      'cable',
    ].map((product, i) => event('view', i, { product, user: `user_${i % 3}` }));
    const figures = windowFigures('sliding', { key: '', start: T0, end: T0 + MIN }, stream);
    expect(figures.uniqueUsers).toBe(3);
    expect(figures.topProducts).toEqual([
      ['cable', 2],
      ['mouse', 2],
      ['headphones', 1],
      ['keyboard', 1],
      ['laptop', 1],
    ]);
  });

  it('gives the same figures whatever order the events come in (revenue is summed in cents)', () => {
    const arb = fc.array(
      fc.record({
        type: fc.constantFrom<CommerceEventType>(
          'view',
          'add_to_cart',
          'purchase',
          'remove_from_cart',
        ),
        cents: fc.integer({ min: 1000, max: 200_000 }),
        quantity: fc.integer({ min: 1, max: 4 }),
        user: fc.constantFrom('a', 'b', 'c'),
        product: fc.constantFrom('laptop', 'mouse', 'monitor'),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const stream = rows.map((r, i) =>
          event(r.type, i, {
            user: r.user,
            product: r.product,
            price: r.cents / 100,
            quantity: r.quantity,
          }),
        );
        const window = { key: '', start: T0, end: T0 + MIN };
        const forward = windowFigures('tumbling', window, stream);
        expect(windowFigures('tumbling', window, [...stream].reverse())).toEqual(forward);
        const purchases = rows.filter((r) => r.type === 'purchase');
        expect(forward.revenueCents).toBe(
          purchases.reduce((sum, r) => sum + r.cents * r.quantity, 0),
        );
      }),
      runs(100),
    );
  });

  it('prints as the notebook’s process_window() and publishes with the notebook’s names', () => {
    const stream = [event('view', 1), event('purchase', 2, { price: 1234.5, quantity: 2 })];
    const figures = windowFigures('tumbling', { key: '', start: T0, end: T0 + 20 * SEC }, stream);
    const text = formatWindow(figures).join('\n');
    expect(text).toContain('PROCESANDO VENTANA DE 2 EVENTOS');
    expect(text).toContain('ventana fija: [2026-12-01 10:00:00, 2026-12-01 10:00:20) UTC');
    expect(text).toContain('Tasa de conversión: 100.00%');
    expect(text).toContain('Revenue de la ventana: $2,469.00');
    const record = windowRecord(figures);
    expect(record.key).toBe('tumbling||2026-12-01T10:00:00.000Z');
    expect(JSON.parse(record.value)).toMatchObject({
      window_type: 'tumbling',
      user_id: null,
      window_start: '2026-12-01T10:00:00.000Z',
      total_events: 2,
      unique_users: 1,
      total_revenue: 2469,
      conversion_rate: 100,
    });
    expect(formatDollars(123456789)).toBe('$1,234,567.89');
    expect(formatDollars(5)).toBe('$0.05');
  });
});

describe('e-commerce messages', () => {
  it('reads back what the simulator writes', () => {
    const sent = event('add_to_cart', 3, { price: 49.9, quantity: 2 });
    expect(readCommerceEvent(encodeCommerceEvent(sent))).toEqual(sent);
  });

  it('refuses a bad field, naming it and what it must be', () => {
    const bad = JSON.stringify({
      ...JSON.parse(encodeCommerceEvent(event('view', 1))),
      event_type: 'click',
    });
    const error = readCommerceEvent(bad);
    expect(error).toBeInstanceOf(MessageError);
    expect((error as MessageError).message).toBe(
      'field "event_type" must be one of view, add_to_cart, purchase, remove_from_cart, got string "click"',
    );
    expect(readCommerceEvent('not json')).toBeInstanceOf(MessageError);
    expect(readCommerceEvent(null)).toBeInstanceOf(MessageError);
  });
});

describe('the simulator', () => {
  const options = { seed: 7, start: T0, ratePerSecond: 2, users: 100, disorderMs: 2000 };

  it('gives the same events for the same seed and others for another seed', () => {
    const a = new CommerceSimulator(options);
    const b = new CommerceSimulator(options);
    const c = new CommerceSimulator({ ...options, seed: 8 });
    const first = Array.from({ length: 200 }, () => a.next());
    expect(Array.from({ length: 200 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 200 }, () => c.next())).not.toEqual(first);
    expect(new Set(first.map((e) => e.id)).size).toBe(200);
  });

  it('keeps events at most the disorder behind the newest one, and each visit starts with a view', () => {
    const simulator = new CommerceSimulator(options);
    let newest = Number.NEGATIVE_INFINITY;
    const visiting = new Set<string>();
    const types = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const e = simulator.next();
      expect(e.time).toBeGreaterThan(newest - options.disorderMs);
      newest = Math.max(newest, e.time);
      types.add(e.type);
      if (!visiting.has(e.user)) expect(e.type).toBe('view');
      visiting.add(e.user);
      expect(e.quantity).toBeGreaterThanOrEqual(1);
      expect(e.price).toBeGreaterThanOrEqual(10);
    }
    expect(types).toEqual(new Set(['view', 'add_to_cart', 'purchase', 'remove_from_cart']));
  });
});

describe('the processor', () => {
  it('closes tumbling, sliding and session windows with the watermark, in the order they end', () => {
    const processor = new CommerceProcessor({
      ...DEFAULT_PROCESSOR,
      sessionGapMs: 30 * SEC,
      latenessMs: 0,
    });
    processor.add(event('view', 1, { user: 'a' }));
    processor.add(event('purchase', 12, { user: 'a' }));
    const closed = processor.closeUpTo(T0 + 42 * SEC);
    expect(
      closed.map((w) => [w.pattern, (w.start - T0) / SEC, (w.end - T0) / SEC, w.totalEvents]),
    ).toEqual([
      ['sliding', -10, 10, 1],
      ['tumbling', 0, 20, 2],
      ['sliding', 0, 20, 2],
      ['sliding', 10, 30, 1],
      ['session', 1, 42, 2],
    ]);
  });

  it('holds the watermark by a partition with records still to read', () => {
    const processor = new CommerceProcessor({ ...DEFAULT_PROCESSOR, latenessMs: 0 });
    processor.add(event('view', 5), { partition: 0, offset: '0' });
    processor.add(event('view', 100), { partition: 1, offset: '0' });
    expect(processor.advance([0])).toEqual([]);
    expect(processor.watermark).toBe(T0 + 5 * SEC);
    const closed = processor.advance([]);
    expect(closed.filter((w) => w.pattern === 'tumbling').map((w) => w.start)).toEqual([T0]);
    expect(processor.watermark).toBe(T0 + 100 * SEC);
  });

  it('emits the notebook’s count windows as events arrive, and counts an event late once for all its windows', () => {
    const processor = new CommerceProcessor({
      ...DEFAULT_PROCESSOR,
      sessionGapMs: 10 * SEC,
      latenessMs: 0,
      count: { size: 2, slide: 2 },
    });
    expect(processor.add(event('view', 100)).counted).toBeNull();
    const { counted } = processor.add(event('view', 200));
    expect(counted).toMatchObject({ pattern: 'count', start: 0, end: 2, totalEvents: 2 });
    processor.advance();
    expect(processor.add(event('view', 1, { user: 'other' })).late).toBe(true);
    expect(processor.lateCount).toBe(1);
    expect(processor.totals.totalEvents).toBe(3);
    expect(processor.totals.users.estimate()).toBe(2);
    expect(formatTotals(processor.totals)).toContain(
      'Usuarios únicos (HyperLogLog, error típico 1.6%): 2',
    );
  });
});
