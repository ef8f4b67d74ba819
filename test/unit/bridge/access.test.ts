import { describe, expect, it } from 'vitest';
import {
  type AccessPolicy,
  hostProblem,
  parseHosts,
  parseOrigins,
  readToken,
  showsDetails,
  webSocketProblem,
} from '../../../bridge/lib/access.ts';

const TOKEN = 'k3Jq9v_L2mX8pRtY0wZ-aB4cD6eF8gH0';
const defaults: AccessPolicy = { hosts: [], origins: [], token: TOKEN };

/** What webSocketProblem says for this Origin reaching the bridge at `host`, without a token. */
const originAt = (origin: string | undefined, host = '127.0.0.1:8080', policy = defaults) =>
  webSocketProblem(policy, { origin, host, token: null });

describe('hostProblem: the hosts the bridge answers to (DNS rebinding)', () => {
  it.each([
    'localhost',
    'localhost:8080',
    'LOCALHOST:8080',
    '127.0.0.1:8080',
    '127.0.0.1',
    '192.168.1.20:8080',
    '[::1]:8080',
    '[fe80::1]',
  ])('serves %s', (host) => {
    expect(hostProblem(defaults, host)).toBeNull();
  });

  it('serves a request with no Host header (HTTP/1.0: a program, not a browser)', () => {
    expect(hostProblem(defaults, undefined)).toBeNull();
  });

  it.each([
    ['evil.example:8080', 'evil.example'],
    ['localhost.evil.example', 'localhost.evil.example'],
    ['127.0.0.1.evil.example:80', '127.0.0.1.evil.example'],
    ['sismos.lan:8080', 'sismos.lan'],
  ])('refuses %s and names the setting that would serve it', (host, name) => {
    expect(hostProblem(defaults, host)).toBe(
      `host ${host} is not served: the bridge answers to localhost and IP addresses; to serve it by this name, add ${name} to BRIDGE_ALLOWED_HOSTS`,
    );
  });

  it.each(['evil.example@127.0.0.1', '127.0.0.1/x', '[::1', '', 'a'.repeat(300)])(
    'refuses %j, which is no host name',
    (host) => {
      expect(hostProblem(defaults, host)).toMatch(/^the Host header is not a host name: /);
    },
  );

  it('refuses an IPv4 address in brackets, which no browser sends', () => {
    expect(hostProblem(defaults, '[127.0.0.1]')).not.toBeNull();
  });

  it('serves the names in BRIDGE_ALLOWED_HOSTS, on any port', () => {
    const policy = { ...defaults, hosts: parseHosts(' Sismos.LAN , dash.example ') };
    expect(hostProblem(policy, 'sismos.lan:8080')).toBeNull();
    expect(hostProblem(policy, 'DASH.example')).toBeNull();
    expect(hostProblem(policy, 'evil.example')).not.toBeNull();
  });
});

describe('webSocketProblem: the pages that may open the WebSocket', () => {
  it.each([
    'http://localhost:5173',
    'http://localhost',
    'https://localhost:8443',
    'http://127.0.0.1:8080',
    'http://127.0.0.1:3000',
    'http://[::1]:3000',
  ])('lets a page on this machine in: %s', (origin) => {
    expect(originAt(origin)).toBeNull();
  });

  it('lets a program that sends no Origin in', () => {
    expect(originAt(undefined)).toBeNull();
  });

  it.each([
    ['http://sismos.lan:8080', 'sismos.lan:8080'],
    ['https://sismos.lan', 'sismos.lan'],
    ['https://sismos.lan', 'sismos.lan:443'],
    ['http://192.168.1.20:8080', '192.168.1.20:8080'],
    ['http://Sismos.LAN:8080', 'sismos.lan:8080'],
  ])('lets in the page the bridge serves itself: %s reaching %s', (origin, host) => {
    expect(originAt(origin, host)).toBeNull();
  });

  it.each([
    ['https://evil.example', '127.0.0.1:8080'],
    ['http://localhost.evil.example', '127.0.0.1:8080'],
    ['http://127.0.0.1.evil.example:80', '127.0.0.1:8080'],
    ['http://evil.example:8080', 'sismos.lan:8080'],
    ['http://sismos.lan:8081', 'sismos.lan:8080'],
    ['file://', '127.0.0.1:8080'],
    ['chrome-extension://abc', '127.0.0.1:8080'],
  ])('refuses %s reaching %s, naming BRIDGE_ALLOWED_ORIGINS', (origin, host) => {
    expect(originAt(origin, host)).toBe(
      `origin ${origin} may not open the WebSocket: allow it with BRIDGE_ALLOWED_ORIGINS`,
    );
  });

  it('refuses Origin null (pages from disk, sandboxed iframes, data: URLs) without the token, saying how to get it', () => {
    expect(originAt('null')).toMatch(
      /^a page without an origin .* may not open the WebSocket: open the file:\/\/ address the bridge printed at start, which carries its token$/,
    );
  });

  it('lets any page in with the token, Origin null included, and refuses a wrong one saying why', () => {
    for (const origin of ['null', 'https://evil.example', undefined]) {
      expect(webSocketProblem(defaults, { origin, host: '127.0.0.1:8080', token: TOKEN })).toBe(
        null,
      );
    }
    for (const token of ['', 'x', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      expect(webSocketProblem(defaults, { origin: 'null', host: 'localhost', token })).toMatch(
        /^the token is not this bridge's .*: open the file:\/\/ address the bridge printed at start$/,
      );
    }
  });

  it('allows the origins of BRIDGE_ALLOWED_ORIGINS exactly, and "*" any but null', () => {
    const policy = { ...defaults, origins: parseOrigins('https://a.example, https://B.example/') };
    expect(originAt('https://b.example', 'x', policy)).toBeNull();
    expect(originAt('https://c.example', 'x', policy)).not.toBeNull();
    const any = { ...defaults, origins: parseOrigins('*') };
    expect(originAt('https://c.example', 'x', any)).toBeNull();
    expect(originAt('null', 'x', any)).not.toBeNull();
  });

  it('will not be told to allow Origin null', () => {
    expect(() => parseOrigins('https://a.example,null')).toThrow(
      /^BRIDGE_ALLOWED_ORIGINS cannot allow "null" .*: open the page from disk with the file:\/\/ address the bridge prints at start/,
    );
  });
});

describe('showsDetails: who sees the broker address and the lag on /healthz', () => {
  it.each([
    ['127.0.0.1', undefined, true],
    ['::1', undefined, true],
    ['::ffff:127.0.0.1', undefined, true],
    ['127.0.0.1', 'http://127.0.0.1:8080', true],
    ['127.0.0.1', 'https://evil.example', false],
    ['127.0.0.1', 'http://localhost:5173', false],
    ['127.0.0.1', 'null', false],
    ['192.168.1.30', undefined, false],
    ['::ffff:192.168.1.30', undefined, false],
    [undefined, undefined, false],
  ])('peer %s with Origin %s: %s', (peer, origin, shown) => {
    expect(showsDetails(peer, { host: '127.0.0.1:8080', origin, token: null })).toBe(shown);
  });
});

describe('readToken', () => {
  it('draws a new token of 256 random bits, base64url, when BRIDGE_TOKEN is not set', () => {
    const [a, b] = [readToken(''), readToken('')];
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('takes BRIDGE_TOKEN when it has 128 bits at least, and refuses a weaker one without showing it', () => {
    expect(readToken(TOKEN)).toBe(TOKEN);
    for (const weak of ['secret', 'a'.repeat(21), `${'a'.repeat(30)}!`]) {
      expect(() => readToken(weak)).toThrow(
        new RegExp(
          `^BRIDGE_TOKEN must be at least 22 characters .*the one set \\(${weak.length} characters\\) is not: draw one with`,
        ),
      );
      expect(() => readToken(weak)).not.toThrow(weak);
    }
  });
});
