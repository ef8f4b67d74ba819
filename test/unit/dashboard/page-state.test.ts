import { describe, expect, it } from 'vitest';
import { connectingTo, stepLink } from '../../../src/core/live-link.ts';
import { PageState, type PageView } from '../../../src/dashboard/probe/page-state.ts';

const view: PageView = {
  quakes: 151,
  markers: { shown: 140, created: 151, removed: 11 },
  alerts: 2,
  link: null,
  crashed: false,
  failed: false,
  loaded: true,
};

/** A PageState on a stand-in for <body>, and what it publishes for a view. */
function published(patch: Partial<PageView> = {}, count?: (state: PageState) => void) {
  const body = { dataset: {} as Record<string, string> };
  const state = new PageState(body as unknown as HTMLElement);
  count?.(state);
  state.publish({ ...view, ...patch });
  return body.dataset;
}

describe('the page state on <body data-*>', () => {
  it('publishes the counts tests and the benchmark wait for', () => {
    const data = published({}, (state) => {
      expect(state.updated()).toBe(1);
      state.failed();
      expect(state.updated()).toBe(2);
    });
    expect(data).toEqual({
      quakes: '151',
      markers: '140',
      created: '151',
      removed: '11',
      polls: '3',
      updates: '2',
      failures: '1',
      alerts: '2',
      connection: 'polling',
      phase: 'live',
    });
  });

  it('says error over stale over loading', () => {
    expect(published({ crashed: true, failed: true, loaded: false }).phase).toBe('error');
    expect(published({ failed: true, loaded: false }).phase).toBe('stale');
    expect(published({ loaded: false }).phase).toBe('loading');
  });

  it('names the connection: the bridge state, or fallback while polling without it', () => {
    const link = connectingTo('ws://127.0.0.1:8080/ws');
    expect(published({ link }).connection).toBe('connecting');
    const lost = stepLink(link, {
      type: 'state',
      state: 'reconnecting',
      retryInMs: 1000,
      reason: null,
      now: 0,
      hasData: false,
    });
    const polling = stepLink(lost.link, { type: 'fallback-due' }).link;
    expect(published({ link: polling }).connection).toBe('fallback');
  });
});
