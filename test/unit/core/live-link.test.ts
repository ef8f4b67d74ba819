import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BridgeState,
  bridgeUrl,
  connectingTo,
  connectionOf,
  FALLBACK_AFTER_MS,
  followsBridge,
  type LinkEvent,
  type LiveLink,
  stepLink,
} from '../../../src/core/live-link.ts';
import { runs } from '../../helpers/seed.ts';

const BRIDGE_URL = 'ws://127.0.0.1:8080/ws';
const NOW = 1_000_000;

function state(
  state: BridgeState,
  options: { retryInMs?: number | null; reason?: string | null; hasData?: boolean } = {},
): LinkEvent {
  return {
    type: 'state',
    state,
    retryInMs: options.retryInMs ?? null,
    reason: options.reason ?? null,
    now: NOW,
    hasData: options.hasData ?? false,
  };
}

/** Runs events from a fresh link; returns the last link and every effect in order. */
function run(...events: LinkEvent[]): { link: LiveLink; effects: string[] } {
  let link = connectingTo(BRIDGE_URL);
  const effects: string[] = [];
  for (const event of events) {
    const step = stepLink(link, event);
    link = step.link;
    for (const effect of step.effects) {
      effects.push(
        effect.type === 'schedule-fallback' ? `schedule ${effect.delayMs}` : effect.type,
      );
    }
  }
  return { link, effects };
}

describe('the link to the bridge', () => {
  it('starts connecting, following the bridge', () => {
    const link = connectingTo(BRIDGE_URL);
    expect(connectionOf(link)).toBe('connecting');
    expect(followsBridge(link)).toBe(true);
  });

  it('goes live with nothing to undo', () => {
    const { link, effects } = run(state('live'));
    expect(effects).toEqual([]);
    expect(connectionOf(link)).toBe('live');
  });

  it('polls at once when the bridge was never reached and the page has no data', () => {
    const { link, effects } = run(
      state('reconnecting', { retryInMs: 1500, reason: 'cannot reach it' }),
    );
    expect(effects).toEqual(['schedule 0']);
    expect(link).toMatchObject({ retryAt: NOW + 1500, reason: 'cannot reach it', fallback: false });
    expect(connectionOf(link)).toBe('reconnecting');
  });

  it('gives a bridge it lost a moment before polling, and schedules that only once', () => {
    expect(run(state('live'), state('reconnecting')).effects).toEqual([
      `schedule ${FALLBACK_AFTER_MS}`,
    ]);
    expect(run(state('reconnecting', { hasData: true })).effects).toEqual([
      `schedule ${FALLBACK_AFTER_MS}`,
    ]);
    expect(
      run(state('live'), state('reconnecting'), state('connecting'), state('reconnecting')).effects,
    ).toEqual([`schedule ${FALLBACK_AFTER_MS}`]);
  });

  it('falls back to polling when the delay passes, and then schedules nothing more', () => {
    const { link, effects } = run(
      state('live'),
      state('reconnecting'),
      { type: 'fallback-due' },
      state('reconnecting'),
    );
    expect(effects).toEqual([`schedule ${FALLBACK_AFTER_MS}`, 'start-polling']);
    expect(connectionOf(link)).toBe('fallback');
    expect(followsBridge(link)).toBe(false);
  });

  it('stops polling when the bridge is back, and forgets why it was lost', () => {
    const { link, effects } = run(
      state('reconnecting', { reason: 'closed (1006)' }),
      { type: 'fallback-due' },
      state('live'),
    );
    expect(effects).toEqual(['schedule 0', 'start-polling', 'stop-polling']);
    expect(link).toMatchObject({ state: 'live', fallback: false, reason: null, retryAt: null });
    expect(connectionOf(link)).toBe('live');
  });

  it('cancels a fallback still due when the bridge is back in time', () => {
    const { link, effects } = run(state('live'), state('reconnecting'), state('live'));
    expect(effects).toEqual([`schedule ${FALLBACK_AFTER_MS}`, 'cancel-fallback']);
    expect(link.fallbackDue).toBe(false);
  });

  it('keeps the last reason while a new attempt gives none', () => {
    const { link } = run(state('reconnecting', { reason: 'closed (1006)' }), state('connecting'));
    expect(link.reason).toBe('closed (1006)');
  });

  it('shows what the bridge says about its source until it is fine again', () => {
    const { link } = run(state('live'), { type: 'source', ok: false, message: 'Kafka is down' });
    expect(link.sourceProblem).toBe('Kafka is down');
    const fine = stepLink(link, { type: 'source', ok: true, message: 'ok' });
    expect(fine.link.sourceProblem).toBeNull();
    expect(fine.effects).toEqual([]);
  });

  it('has no connection word but polling without a bridge', () => {
    expect(connectionOf(null)).toBe('polling');
    expect(followsBridge(null)).toBe(false);
  });

  it('polls exactly while it says fallback, and keeps at most one fallback timer', () => {
    const event = fc.oneof(
      fc.record({
        type: fc.constant('state' as const),
        state: fc.constantFrom<BridgeState>('connecting', 'live', 'reconnecting'),
        retryInMs: fc.option(fc.nat(60_000)),
        reason: fc.option(fc.string()),
        now: fc.nat(),
        hasData: fc.boolean(),
      }),
      fc.constant({ type: 'fallback-due' as const }),
      fc.record({ type: fc.constant('source' as const), ok: fc.boolean(), message: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let link = connectingTo(BRIDGE_URL);
        let polling = false;
        let timer = false;
        for (const next of events) {
          // The timer's event comes only while the timer runs.
          if (next.type === 'fallback-due' && !timer) continue;
          if (next.type === 'fallback-due') timer = false;
          const step = stepLink(link, next);
          link = step.link;
          for (const effect of step.effects) {
            if (effect.type === 'start-polling') {
              expect(polling).toBe(false);
              polling = true;
            } else if (effect.type === 'stop-polling') {
              expect(polling).toBe(true);
              polling = false;
            } else if (effect.type === 'schedule-fallback') {
              expect(timer).toBe(false);
              timer = true;
            } else {
              expect(timer).toBe(true);
              timer = false;
            }
          }
          expect(link.fallback).toBe(polling);
          expect(link.fallbackDue).toBe(timer);
          if (link.state === 'live') expect(polling || timer).toBe(false);
        }
      }),
      runs(500),
    );
  });
});

describe('bridgeUrl', () => {
  it('adds the cursor to resume from and keeps the token npm start prints for pages from disk', () => {
    const base = 'ws://127.0.0.1:8080/ws?token=3f9a1c';
    expect(bridgeUrl(base, null)).toBe(base);
    expect(bridgeUrl(base, '42')).toBe('ws://127.0.0.1:8080/ws?token=3f9a1c&cursor=42');
  });

  it('keeps every other parameter exactly, and encodes a cursor of any text', () => {
    const url = new URL(bridgeUrl('wss://bridge.example/ws?token=a%2Bb%2Fc%3D&x=1&x=2', 'e1:7 &?'));
    expect(url.origin + url.pathname).toBe('wss://bridge.example/ws');
    expect(url.searchParams.get('token')).toBe('a+b/c=');
    expect(url.searchParams.getAll('x')).toEqual(['1', '2']);
    expect(url.searchParams.get('cursor')).toBe('e1:7 &?');
  });

  it('replaces a cursor already in the address, and drops it when the page wants a new snapshot', () => {
    const base = 'ws://127.0.0.1:8080/ws?cursor=old&token=t';
    expect(new URL(bridgeUrl(base, 'new')).searchParams.getAll('cursor')).toEqual(['new']);
    expect(bridgeUrl(base, null)).toBe('ws://127.0.0.1:8080/ws?token=t');
  });

  it('asks for the protocol version it is given, once, replacing one in the address', () => {
    const url = new URL(bridgeUrl('ws://127.0.0.1:8080/ws?token=t&v=1', 'c', 2));
    expect(url.searchParams.getAll('v')).toEqual(['2']);
    expect(url.searchParams.get('token')).toBe('t');
    expect(url.searchParams.get('cursor')).toBe('c');
  });
});
