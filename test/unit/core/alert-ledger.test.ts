import { describe, expect, it } from 'vitest';
import { ALERT_MEMORY_MS, AlertLedger, alertOf } from '../../../src/core/alert-ledger.ts';
import { makeQuake } from '../../helpers/quake.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const big = makeQuake({ mag: 5.2 });

describe('AlertLedger', () => {
  it('alerts a quake at or above the threshold to both sinks, and ignores smaller ones', () => {
    const ledger = new AlertLedger(4.5);
    expect(ledger.decide(big)).toEqual({ kind: 'alert', writeLog: true, publish: true });
    expect(ledger.decide({ ...big, mag: 4.5 })).toMatchObject({ kind: 'alert' });
    expect(ledger.decide({ ...big, mag: 4.4 })).toEqual({ kind: 'ignore' });
    expect(ledger.decide({ ...big, mag: null })).toEqual({ kind: 'ignore' });
    expect(new AlertLedger(2.5).decide({ ...big, mag: 3 })).toMatchObject({ kind: 'alert' });
  });

  it('never alerts the same quake twice once both sinks hold it, replay or not', () => {
    const ledger = new AlertLedger(4.5);
    ledger.logged(alertOf(big));
    ledger.published(alertOf(big));
    expect(ledger.decide(big)).toEqual({ kind: 'ignore' });
    expect(ledger.size).toBe(1);
  });

  it('repairs whichever sink missed the alert (a crash between the two writes)', () => {
    const inLogOnly = new AlertLedger(4.5);
    inLogOnly.logged(alertOf(big));
    expect(inLogOnly.decide(big)).toEqual({ kind: 'alert', writeLog: false, publish: true });
    const inTopicOnly = new AlertLedger(4.5);
    inTopicOnly.published(alertOf(big));
    expect(inTopicOnly.decide(big)).toEqual({ kind: 'alert', writeLog: true, publish: false });
  });

  it('alerts once when a revision raises a quake above the threshold, then reports later revisions as updates', () => {
    const ledger = new AlertLedger(4.5);
    const v1 = { ...big, mag: 4.2 };
    const v2 = { ...big, mag: 4.7, updated: big.updated + MINUTE };
    const v3 = { ...big, mag: 5.1, updated: big.updated + 2 * MINUTE };
    expect(ledger.decide(v1)).toEqual({ kind: 'ignore' });
    expect(ledger.decide(v2)).toMatchObject({ kind: 'alert' });
    ledger.logged(alertOf(v2));
    ledger.published(alertOf(v2));
    expect(ledger.decide(v3)).toEqual({ kind: 'update', previous: alertOf(v2) });
    ledger.revised(v3);
    // The same revision again (a replay) is not reported twice; neither is an older one.
    expect(ledger.decide(v3)).toEqual({ kind: 'ignore' });
    expect(ledger.decide(v2)).toEqual({ kind: 'ignore' });
    // A revision that lowers it below the threshold is an update too: the alert stands.
    const v4 = { ...big, mag: 4.0, updated: big.updated + 3 * MINUTE };
    expect(ledger.decide(v4)).toEqual({ kind: 'update', previous: alertOf(v3) });
  });

  it('forgets what the topic holds, but not what the log holds, before reading the topic back', () => {
    const ledger = new AlertLedger(4.5);
    const other = makeQuake({ id: 'other', mag: 6 });
    ledger.logged(alertOf(big));
    ledger.published(alertOf(big));
    ledger.published(alertOf(other));
    expect(ledger.publishedCount).toBe(2);
    ledger.forgetPublished();
    expect([ledger.size, ledger.publishedCount]).toEqual([1, 0]);
    expect(ledger.decide(big)).toEqual({ kind: 'alert', writeLog: false, publish: true });
  });

  it('remembers 30 days of alerts behind the newest origin time, and refuses quakes older than that', () => {
    const ledger = new AlertLedger(4.5);
    const old = makeQuake({ id: 'old', time: big.time - ALERT_MEMORY_MS - DAY });
    ledger.logged(alertOf(old));
    ledger.logged(alertOf(big));
    expect(ledger.decide(old)).toEqual({ kind: 'expired' });
    expect(
      ledger.decide(makeQuake({ id: 'edge', time: big.time - ALERT_MEMORY_MS })),
    ).toMatchObject({ kind: 'alert' });
  });

  it('stays bounded over 120 days of one alert per minute', () => {
    const ledger = new AlertLedger(4.5);
    let largest = 0;
    for (let t = 0; t < 120 * 24 * 60; t += 1) {
      const quake = makeQuake({ id: `q${t}`, time: t * MINUTE, updated: t * MINUTE });
      if (ledger.decide(quake).kind === 'alert') ledger.logged(alertOf(quake));
      largest = Math.max(largest, ledger.size);
    }
    expect(largest).toBeLessThanOrEqual((ALERT_MEMORY_MS + DAY) / MINUTE + 1);
  });

  it('refuses a threshold that is not a number', () => {
    expect(() => new AlertLedger(Number.NaN)).toThrow(/threshold must be a number/);
  });
});
