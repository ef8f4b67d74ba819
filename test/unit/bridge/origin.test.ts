import { describe, expect, it } from 'vitest';
import { originAllowed, parseOrigins } from '../../../bridge/lib/origin.ts';

const none = parseOrigins('');

describe('originAllowed', () => {
  it.each([
    'null',
    'http://localhost:5173',
    'http://localhost',
    'http://127.0.0.1:8080',
    'http://[::1]:3000',
  ])('lets %s in by default', (origin) => {
    expect(originAllowed(none, origin, '127.0.0.1:8080')).toBe(true);
  });

  it('lets in the page the bridge serves, at the address it was reached by', () => {
    expect(originAllowed(none, 'http://sismos.lan:8080', 'sismos.lan:8080')).toBe(true);
  });

  it.each([
    'https://evil.example',
    'http://localhost.evil.example',
    'http://127.0.0.1.evil.example:80',
    'file://',
  ])('refuses %s by default', (origin) => {
    expect(originAllowed(none, origin, '127.0.0.1:8080')).toBe(false);
  });

  it('allows the configured origins, exactly', () => {
    const policy = parseOrigins('https://a.example, https://b.example/');
    expect(originAllowed(policy, 'https://b.example', 'x')).toBe(true);
    expect(originAllowed(policy, 'https://c.example', 'x')).toBe(false);
    expect(originAllowed(parseOrigins('*'), 'https://c.example', 'x')).toBe(true);
  });

  it('lets programs without an Origin header in', () => {
    expect(originAllowed(none, undefined, 'x')).toBe(true);
  });
});
