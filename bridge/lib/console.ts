/** Renders untrusted text (a Kafka key or value) safe for a terminal: control characters become escapes. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Prints one error line to stderr and exits with `code`. */
export function fail(prefix: string, message: string, code = 1): never {
  console.error(`${prefix}: ${message}`);
  process.exit(code);
}
