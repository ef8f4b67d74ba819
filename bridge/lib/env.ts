/** Reads configuration from environment variables, failing at start-up with a sentence that names the variable. */

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
    throw new Error(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}
