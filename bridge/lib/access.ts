/**
 * Which requests may reach the bridge, against what a browser lets any web site do (docs/protocol.md,
 * "Who may connect"): a page on any site can open ws://127.0.0.1:8080/ws (its Origin header names the
 * site), a sandboxed iframe or a data: URL on that site sends `Origin: null`, and DNS rebinding points
 * the attacker's own name at 127.0.0.1 (its Host header then carries that name). Programs that send no
 * Origin are let through: they could forge any header anyway.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { ConfigError } from '../../src/core/errors.ts';

export interface AccessPolicy {
  /** Host names served besides localhost and IP addresses (BRIDGE_ALLOWED_HOSTS), in lower case. */
  readonly hosts: readonly string[];
  /** Origins allowed besides the bridge's own and loopback pages (BRIDGE_ALLOWED_ORIGINS); "*" allows any but null. */
  readonly origins: readonly string[];
  /** Lets a WebSocket in from any page, null origins included: the file:// address printed at start carries it. */
  readonly token: string;
}

/** What the policy reads from a request; undefined for a header the request did not send. */
export interface RequestCredentials {
  readonly host: string | undefined;
  readonly origin: string | undefined;
  /** The `token` query parameter, or null. */
  readonly token: string | null;
}

/** A Host header: a name or an IPv4 address, or an IPv6 address in brackets, and a port. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;
const ORIGIN = /^(https?):\/\/([^/?#]+)$/i;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** 128 bits of base64url at least. */
const TOKEN = /^[\w-]{22,}$/;

/**
 * Why a request with this Host header is refused, or null when the bridge serves that host:
 * localhost, any IP address, or a name in BRIDGE_ALLOWED_HOSTS. No Host header (HTTP/1.0) is a program, not a browser.
 */
export function hostProblem(policy: AccessPolicy, host: string | undefined): string | null {
  if (host === undefined) return null;
  const match = HOST.exec(host);
  if (match === null || host.length > 255) {
    return 'the Host header is not a host name: the bridge answers to localhost, IP addresses and the names in BRIDGE_ALLOWED_HOSTS';
  }
  const name = (match[1] as string).toLowerCase();
  const ip = name.startsWith('[') ? isIP(name.slice(1, -1)) === 6 : isIP(name) === 4;
  if (ip || name === 'localhost' || policy.hosts.includes(name)) return null;
  return `host ${host} is not served: the bridge answers to localhost and IP addresses; to serve it by this name, add ${name} to BRIDGE_ALLOWED_HOSTS`;
}

/**
 * Why a WebSocket request is refused, or null when it may open: no Origin (a program), the bridge's
 * own page, a page on localhost, 127.0.0.1 or [::1], an origin in BRIDGE_ALLOWED_ORIGINS, or any page
 * with the token. Its Host header must have passed hostProblem.
 */
export function webSocketProblem(policy: AccessPolicy, request: RequestCredentials): string | null {
  const { origin, host, token } = request;
  if (origin === undefined || originAllowed(policy, origin, host)) return null;
  if (token !== null) {
    if (sameSecret(token, policy.token)) return null;
    return "the token is not this bridge's (a new one is drawn at every start unless BRIDGE_TOKEN is set): open the file:// address the bridge printed at start";
  }
  if (origin === 'null') {
    return 'a page without an origin (opened from disk, a sandboxed iframe, a data: URL) may not open the WebSocket: open the file:// address the bridge printed at start, which carries its token';
  }
  return `origin ${origin.slice(0, 200)} may not open the WebSocket: allow it with BRIDGE_ALLOWED_ORIGINS`;
}

/**
 * Whether /healthz may show the broker address and the lag: only to a program on this machine, or
 * the bridge's own page (a loopback peer without a foreign Origin), not to the pages of other sites.
 */
export function showsDetails(peer: string | undefined, request: RequestCredentials): boolean {
  const loopback =
    peer !== undefined &&
    (peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.'));
  const { origin, host } = request;
  return loopback && (origin === undefined || ownOrigin(origin, host));
}

function originAllowed(policy: AccessPolicy, origin: string, host: string | undefined): boolean {
  // A null origin is any sandboxed iframe or data: URL of any site: only the token lets it in.
  if (origin === 'null') return false;
  const match = ORIGIN.exec(origin);
  if (match === null) return false;
  const authority = (match[2] as string).toLowerCase();
  const hostname = HOST.exec(authority)?.[1];
  if (hostname !== undefined && LOOPBACK_HOSTS.has(hostname)) return true;
  if (ownOrigin(origin, host)) return true;
  return policy.origins.includes('*') || policy.origins.includes(origin.toLowerCase());
}

/** True when `origin` is the page this bridge serves at `host` (the address the browser reached it by). */
function ownOrigin(origin: string, host: string | undefined): boolean {
  const match = ORIGIN.exec(origin);
  if (match === null || host === undefined) return false;
  const scheme = (match[1] as string).toLowerCase();
  const defaultPort = scheme === 'https' ? ':443' : ':80';
  const strip = (authority: string) =>
    authority.toLowerCase().endsWith(defaultPort)
      ? authority.slice(0, -defaultPort.length).toLowerCase()
      : authority.toLowerCase();
  return strip(match[2] as string) === strip(host);
}

/** Compares two secrets in a time that does not depend on where they differ. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** Reads BRIDGE_ALLOWED_HOSTS: comma-separated host names, without ports. */
export function parseHosts(text: string): string[] {
  return text
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
}

/** Reads BRIDGE_ALLOWED_ORIGINS: comma-separated origins, or "*" for any (but null). */
export function parseOrigins(text: string): string[] {
  const origins = text
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, '').toLowerCase())
    .filter((origin) => origin !== '');
  if (origins.includes('null')) {
    throw new ConfigError(
      'CONFIG_FORMAT',
      'BRIDGE_ALLOWED_ORIGINS cannot allow "null" (every sandboxed iframe and data: URL of every site sends it): open the page from disk with the file:// address the bridge prints at start, which carries its token',
    );
  }
  return origins;
}

/** The token: BRIDGE_TOKEN when set (at least 128 bits of base64url), else 256 random bits drawn now. */
export function readToken(text: string): string {
  if (text === '') return randomBytes(32).toString('base64url');
  if (!TOKEN.test(text)) {
    throw new ConfigError(
      'CONFIG_FORMAT',
      `BRIDGE_TOKEN must be at least 22 characters of A-Z, a-z, 0-9, "-" and "_" (128 bits); the one set (${text.length} characters) is not: draw one with node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
    );
  }
  return text;
}
