import { describe, expect, it } from 'vitest';
import { startCommand } from '../../helpers/process.ts';

describe('the service shell', () => {
  it('exits on Ctrl+C only once everything its shutdown printed has reached the pipe', async () => {
    const command = startCommand('test/fixtures/commands/loud-service.ts', {});
    await command.waitFor(/^ready; Ctrl\+C to stop$/m);
    command.child.kill('SIGINT');
    expect(await command.exited).toBe(0);
    const lines = command.stdout().split('\n');
    expect(lines.filter((line) => line === 'x'.repeat(1023))).toHaveLength(4096);
    expect(lines.slice(-3)).toEqual(['ESTADÍSTICAS FINALES', 'SIGINT: done', '']);
    expect(command.stderr()).toBe('');
  });
});
