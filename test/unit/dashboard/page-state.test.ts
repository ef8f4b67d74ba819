import { describe, expect, it } from 'vitest';
import { connectingTo, stepLink } from '../../../src/core/live-link.ts';
import { type PageView, pageData } from '../../../src/dashboard/probe/page-state.ts';

const view: PageView = {
  quakes: 151,
  markers: { shown: 140, created: 151, removed: 11 },
  alerts: 2,
  link: null,
  crashed: false,
  failed: false,
  loaded: true,
};
const counts = { polls: 4, updates: 3, failures: 1 };

describe('the page state on <body data-*>', () => {
  it('publishes the counts tests and the benchmark wait for', () => {
    expect(pageData(view, counts)).toEqual({
      quakes: '151',
      markers: '140',
      created: '151',
      removed: '11',
      polls: '4',
      updates: '3',
      failures: '1',
      alerts: '2',
      connection: 'polling',
      phase: 'live',
    });
  });

  it('says error over stale over loading', () => {
    const phase = (patch: Partial<PageView>) => pageData({ ...view, ...patch }, counts).phase;
    expect(phase({ crashed: true, failed: true, loaded: false })).toBe('error');
    expect(phase({ failed: true, loaded: false })).toBe('stale');
    expect(phase({ loaded: false })).toBe('loading');
  });

  it('names the connection: the bridge state, or fallback while polling without it', () => {
    const link = connectingTo('ws://127.0.0.1:8080/ws');
    expect(pageData({ ...view, link }, counts).connection).toBe('connecting');
    const fallback = stepLink(link, {
      type: 'state',
      state: 'reconnecting',
      retryInMs: 1000,
      reason: null,
      now: 0,
      hasData: false,
    });
    const polling = stepLink(fallback.link, { type: 'fallback-due' }).link;
    expect(pageData({ ...view, link: polling }, counts).connection).toBe('fallback');
  });
});
