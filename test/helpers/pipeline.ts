import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Command } from './process.ts';

/** The ids of the alerts in an alertas.log, in order (its `# alerta {json}` header lines). */
export function loggedIds(path: string): string[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.startsWith('# alerta '))
    .map((line) => JSON.parse(line.slice('# alerta '.length)).id);
}

/** Stops a long-running command with SIGTERM; it must exit 0, as after Ctrl+C. */
export async function stopCommand(command: Command): Promise<void> {
  command.child.kill('SIGTERM');
  expect(await command.exited).toBe(0);
}
