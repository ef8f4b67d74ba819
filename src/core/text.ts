/** Renders untrusted text safe for a terminal or a log file: control characters become \uXXXX escapes. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
