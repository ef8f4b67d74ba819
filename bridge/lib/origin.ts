/**
 * Which web pages may open the bridge's WebSocket. Browsers always send Origin, so this stops a
 * page on another site from reading the stream through a user's browser. Programs that send no
 * Origin (command-line clients) are let through: they could forge any header anyway.
 */
export interface OriginPolicy {
  /** Extra origins allowed exactly, e.g. "https://dashboard.example.org"; "*" allows any. */
  readonly extra: readonly string[];
}

const LOOPBACK = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** True when a request with this Origin header (and Host header) may open the WebSocket. */
export function originAllowed(
  policy: OriginPolicy,
  origin: string | undefined,
  host: string | undefined,
): boolean {
  if (origin === undefined) return true;
  // A page opened from file:// sends the opaque origin "null".
  if (origin === 'null' || LOOPBACK.test(origin)) return true;
  // The dashboard this bridge serves itself, on whatever address it was reached at.
  if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`))
    return true;
  return policy.extra.includes('*') || policy.extra.includes(origin);
}

/** Reads BRIDGE_ALLOWED_ORIGINS: a comma-separated list of origins. */
export function parseOrigins(text: string): OriginPolicy {
  return {
    extra: text
      .split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter((origin) => origin !== ''),
  };
}
