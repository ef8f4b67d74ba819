import { describe, expect, it } from 'vitest';
import { alertFields, formatAlertBox } from '../../../src/core/alert.ts';
import { AlertLogReader, formatLogEntry, type LoggedAlert } from '../../../src/core/alert-log.ts';
import { makeQuake } from '../../helpers/quake.ts';

const WRITTEN = Date.UTC(2024, 0, 15, 10, 31, 2);
const tokyo = makeQuake({ updated: Date.UTC(2024, 0, 15, 10, 45) });

function readBack(text: string): { alerts: LoggedAlert[]; torn: number } {
  const reader = new AlertLogReader();
  const alerts = text
    .split('\n')
    .map((line) => reader.line(line))
    .filter((alert) => alert !== null);
  return { alerts, torn: reader.torn };
}

describe('formatLogEntry', () => {
  it('writes a JSON header line, the seed box and a blank line', () => {
    expect(formatLogEntry(tokyo, WRITTEN)).toBe(
      [
        '# alerta {"id":"us7000abcd","magnitud":5.2,"timestamp":"2024-01-15T10:30:00.000Z","actualizado":"2024-01-15T10:45:00.000Z","escrita":"2024-01-15T10:31:02.000Z"}',
        formatAlertBox(alertFields(tokyo)),
        '',
        '',
      ].join('\n'),
    );
  });

  it('keeps an id with control characters on one line and reads it back unchanged', () => {
    const id = 'evil\n# alerta {"id":"x"}\u009b\u001b[2J';
    const entry = formatLogEntry({ ...tokyo, id }, WRITTEN);
    expect(entry.split('\n')[0]).toMatch(/^# alerta \{.*\}$/);
    expect(entry.replaceAll('\n', '')).not.toMatch(/\p{Cc}/u);
    expect(readBack(entry).alerts.map((a) => a.id)).toEqual([id]);
  });
});

describe('AlertLogReader', () => {
  it('reads back id, origin time, revision time and magnitude of every entry', () => {
    const other = makeQuake({ id: 'ci123', mag: null, time: 1000, updated: 2000 });
    const log = formatLogEntry(tokyo, WRITTEN) + formatLogEntry(other, WRITTEN);
    expect(readBack(log)).toEqual({
      alerts: [
        { id: 'us7000abcd', time: tokyo.time, updated: tokyo.updated, mag: 5.2 },
        { id: 'ci123', time: 1000, updated: 2000, mag: null },
      ],
      torn: 0,
    });
  });

  it('does not count an entry cut short by a crash, at the end or followed by a complete one', () => {
    const whole = formatLogEntry(tokyo, WRITTEN);
    const cut = whole.slice(0, whole.indexOf('╠'));
    expect(readBack(cut)).toEqual({ alerts: [], torn: 1 });
    expect(readBack(`${cut}\n${whole}`).alerts).toHaveLength(1);
    expect(readBack(`${cut}\n${whole}`).torn).toBe(1);
    // A header cut in the middle of its JSON is not an entry either.
    expect(readBack(`${whole.slice(0, 30)}\n${whole}`)).toMatchObject({ torn: 0 });
    expect(readBack(`${whole.slice(0, 30)}\n${whole}`).alerts).toHaveLength(1);
  });

  it('ignores lines that are not entries: text a person added, headers with wrong fields', () => {
    const box = formatAlertBox(alertFields(tokyo));
    const log = [
      'notes about last night',
      `# alerta {"id":"","timestamp":"2024-01-15T10:30:00.000Z","actualizado":"2024-01-15T10:30:00.000Z","magnitud":5}`,
      box,
      `# alerta {"id":"a","timestamp":"yesterday","actualizado":"2024-01-15T10:30:00.000Z","magnitud":5}`,
      box,
      `# alerta {"id":"b","timestamp":"2024-01-15T10:30:00.000Z","actualizado":"2024-01-15T10:30:00.000Z","magnitud":"5"}`,
      box,
      box,
    ].join('\n');
    expect(readBack(log).alerts).toEqual([]);
  });
});
