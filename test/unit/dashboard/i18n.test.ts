import { describe, expect, it } from 'vitest';
import { browserLanguage, I18n } from '../../../src/dashboard/i18n/i18n.ts';
import { en, es } from '../../../src/dashboard/i18n/messages.ts';

describe('messages', () => {
  it('has the same keys and the same placeholders in Spanish and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
    const holes = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(es) as (keyof typeof es)[]) {
      expect(holes(en[key]), key).toEqual(holes(es[key]));
    }
  });
});

describe('browserLanguage', () => {
  it('is Spanish for any Spanish locale, English otherwise', () => {
    expect(browserLanguage(['es-AR', 'en'])).toBe('es');
    expect(browserLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(browserLanguage(['de'])).toBe('en');
    expect(browserLanguage([])).toBe('en');
  });
});

describe('I18n', () => {
  it('fills placeholders and formats numbers the local way', () => {
    const spanish = new I18n('es');
    const english = new I18n('en');
    expect(english.t('error.http', { url: 'http://x', status: 503 })).toBe(
      'USGS feed at http://x returned HTTP 503.',
    );
    expect(spanish.mag(5.25)).toMatch(/^5,[23]$/);
    expect(english.mag(5)).toBe('5.0');
    expect(english.mag(null)).toBe('—');
    expect(english.utc(Date.UTC(2024, 0, 15, 10, 30))).toContain('UTC');
  });

  it('says durations in the largest sensible unit', () => {
    const english = new I18n('en');
    expect(english.duration(45_000)).toBe('45 seconds');
    expect(english.duration(60_000)).toBe('1 minute');
    expect(english.duration(15 * 60_000)).toBe('15 minutes');
    expect(english.duration(6 * 3_600_000)).toBe('6 hours');
    expect(english.duration(9 * 365.25 * 86_400_000)).toBe('9 years');
    expect(new I18n('es').duration(3 * 86_400_000)).toBe('3 días');
  });
});

describe('I18n in a time zone', () => {
  // 2024-01-15 10:30 UTC, a quake off Tokyo (nautical zone UTC+9) and one in Nepal (USGS tz 345).
  const at = Date.UTC(new Date().getUTCFullYear(), 0, 15, 10, 30);
  const tokyo = { lon: 139.7, tz: null };
  const nepal = { lon: 85.3, tz: 345 };

  it('writes quake times at the epicentre with its offset, and times of no quake in UTC', () => {
    const english = new I18n('en', 'epicentre');
    expect(english.short(at, tokyo)).toBe('Jan 15, 07:30 PM UTC+9');
    expect(english.short(at, nepal)).toBe('Jan 15, 04:15 PM UTC+5:45');
    expect(english.short(at)).toBe('Jan 15, 10:30 AM UTC');
    expect(english.local(at, tokyo)).toMatch(/^Jan 15, \d{4}, 7:30:00 PM UTC\+9$/);
  });

  it('writes every time in UTC when asked, whatever the quake', () => {
    const spanish = new I18n('es', 'utc');
    expect(spanish.short(at, tokyo)).toBe('15 ene, 10:30 UTC');
    expect(spanish.short(at)).toBe('15 ene, 10:30 UTC');
  });

  it('writes the reader’s local time, with no offset, by default', () => {
    const english = new I18n('en');
    const local = new Intl.DateTimeFormat('en', {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }).format(at);
    expect(english.zone).toBe('local');
    expect(english.short(at, tokyo)).toBe(local);
  });
});
