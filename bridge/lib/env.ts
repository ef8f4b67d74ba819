/** Reads configuration from environment variables, failing at start-up with a sentence that names the variable. */
import { ConfigError } from '../../src/core/errors.ts';

export function envString(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

export function envNumber(
  name: string,
  fallback: number,
  { min = -Infinity, max = Infinity } = {},
): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    const range =
      max === Infinity
        ? `of at least ${min}`
        : min === -Infinity
          ? `of at most ${max}`
          : `between ${min} and ${max}`;
    throw new ConfigError('CONFIG_RANGE', `${name} must be a number ${range}, got "${raw}"`);
  }
  return value;
}
