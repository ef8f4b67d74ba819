/** Prints one error line to stderr and exits with `code`. */
export function fail(prefix: string, message: string, code = 1): never {
  console.error(`${prefix}: ${message}`);
  process.exit(code);
}
