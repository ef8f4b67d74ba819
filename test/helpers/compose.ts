import { readFileSync } from 'node:fs';

/** docker-compose.yml as text: no YAML parser is a dependency, and the tests read it as a person would. */
export const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

/** The lines of one service's block: from `  name:` to the next line indented by two spaces. */
export function service(name: string): string {
  const lines = compose.split('\n');
  const start = lines.indexOf(`  ${name}:`);
  if (start === -1) throw new Error(`docker-compose.yml has no service ${name}`);
  const end = lines.findIndex((line, i) => i > start && /^ {2}\S/.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

/** The JavaScript the bridge service's healthcheck runs with `node -e`, unquoted as compose passes it. */
export function bridgeHealthcheck(): string {
  const quoted = /"node",\s*"-e",\s*("(?:[^"\\]|\\.)*")/.exec(service('bridge'))?.[1];
  if (quoted === undefined) throw new Error('the bridge healthcheck does not run node -e');
  return JSON.parse(quoted);
}
