import { describe, expect, it } from 'vitest';
import { bridgeUrl } from '../../../src/dashboard/state/bridge-client.ts';

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
});
