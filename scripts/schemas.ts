/**
 * Writes the message schemas under schemas/ from src/core/message-schema.ts.
 *
 *   npm run schemas              writes schemas/*.avsc and schemas/*.schema.json
 *   npm run schemas -- --check   exits 1 when a file differs from what the table generates (CI)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../src/core/message-schema.ts';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [name, text] of Object.entries(schemaFiles())) {
  const path = `${dir}${name}`;
  if (!check) writeFileSync(path, text);
  else if (readIfExists(path) !== text) stale.push(name);
}
if (stale.length > 0) {
  console.error(
    `schemas/${stale.join(', schemas/')} differ from src/core/message-schema.ts; run npm run schemas`,
  );
  process.exit(1);
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
