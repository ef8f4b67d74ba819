import { describe, expect, it } from 'vitest';
import { NO_FILTER } from '../../../src/core/filter.ts';
import {
  DEFAULT_SETTINGS,
  decodeSession,
  encodeSettings,
  formatDuration,
  mergeSettings,
  parseDuration,
  type Settings,
} from '../../../src/core/url-state.ts';

const params = (text: string) => new URLSearchParams(text);

describe('encodeSettings / mergeSettings', () => {
  it('writes nothing for the defaults and reads the defaults back', () => {
    expect(encodeSettings(DEFAULT_SETTINGS).toString()).toBe('');
    expect(mergeSettings(params(''))).toEqual(DEFAULT_SETTINGS);
  });

  it('round-trips every setting', () => {
    const settings: Settings = {
      feed: { level: '4.5', period: 'week' },
      filter: {
        minMag: 2.5,
        maxMag: 6,
        hiddenTypes: ['quarry blast', 'explosion'],
        windowMs: 6 * 3_600_000,
        impact: ['felt', 'pager'],
      },
      colourBy: 'depth',
      lang: 'en',
      alertMag: 5,
      tiles: 'carto',
      sort: 'smallest',
      timeZone: 'epicentre',
      plates: true,
      inView: true,
    };
    const text = encodeSettings(settings).toString();
    expect(text).toBe(
      'feed=4.5_week&min=2.5&max=6&hide=quarry+blast%2Cexplosion&window=6h&color=depth&lang=en&alert=5&tiles=carto&impact=felt%2Cpager&sort=smallest&tz=epicentre&plates=1&inview=1',
    );
    expect(mergeSettings(params(text))).toEqual(settings);
  });

  it('keeps a custom feed URL, but only http(s)', () => {
    const url = 'http://127.0.0.1:8080/fixtures/2016-11-03_all_day.geojson';
    expect(mergeSettings(params(`feed=${encodeURIComponent(url)}`)).feed).toBe(url);
    expect(mergeSettings(params('feed=javascript:alert(1)')).feed).toEqual(DEFAULT_SETTINGS.feed);
  });

  it('ignores invalid values instead of failing', () => {
    const settings = mergeSettings(
      params(
        'min=abc&max=99&window=forever&color=red&lang=fr&tiles=x&alert=-5&sort=random&tz=mars&plates=yes&inview=2&impact=loud',
      ),
    );
    expect(settings).toEqual(DEFAULT_SETTINGS);
  });

  it('takes each setting from the first source that has it (hash, query, storage)', () => {
    const hash = params('min=4.5');
    const query = params('min=2.5&feed=all_week&lang=en');
    const stored = params('feed=all_hour&color=depth');
    const settings = mergeSettings(hash, query, stored);
    expect(settings.filter.minMag).toBe(4.5);
    expect(settings.feed).toEqual({ level: 'all', period: 'week' });
    expect(settings.colourBy).toBe('depth');
    expect(settings.lang).toBe('en');
  });

  it('states explicit keys even at their default, so a cleared filter beats the query', () => {
    const cleared = { ...DEFAULT_SETTINGS, filter: NO_FILTER };
    const hash = encodeSettings(cleared, new Set(['min', 'feed', 'lang', 'hide', 'window']));
    expect(hash.toString()).toBe('feed=all_day&min=any&hide=&window=all&lang=auto');
    expect(mergeSettings(hash, params('min=4.5&feed=all_week&lang=en'))).toEqual(cleared);
  });
});

describe('durations', () => {
  it('reads and writes minutes, hours and days', () => {
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('6h')).toBe(21_600_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('all')).toBeNull();
    expect(parseDuration('0h')).toBeUndefined();
    expect(parseDuration('1w')).toBeUndefined();
    expect(formatDuration(604_800_000)).toBe('7d');
    expect(formatDuration(5_400_000)).toBe('90m');
  });
});

describe('decodeSession', () => {
  it('reads the poll period, the timeout, a ws(s) bridge address and an http(s) catalogue service', () => {
    expect(
      decodeSession(
        params(
          'poll=250&timeout=1000&bridge=ws://127.0.0.1:8765&catalogue=http://127.0.0.1:9/fdsnws/event/1/query',
        ),
      ),
    ).toEqual({
      pollMs: 250,
      timeoutMs: 1000,
      bridge: 'ws://127.0.0.1:8765',
      catalogue: 'http://127.0.0.1:9/fdsnws/event/1/query',
    });
    expect(decodeSession(params('poll=-1&bridge=http://x&catalogue=javascript:alert(1)'))).toEqual({
      pollMs: null,
      timeoutMs: null,
      bridge: null,
      catalogue: null,
    });
  });
});
