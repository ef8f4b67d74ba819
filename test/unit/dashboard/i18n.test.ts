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
