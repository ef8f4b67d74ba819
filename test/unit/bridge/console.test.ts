import { describe, expect, it } from 'vitest';
import { stampLines } from '../../../bridge/lib/console.ts';

describe('stampLines', () => {
  it('puts the stamp before every line, so a boxed alert stays aligned', () => {
    const box = '╔══╗\n║ALERTA║\n╚══╝';
    expect(stampLines(box, '2026-12-01T02:40:25.123Z')).toBe(
      '2026-12-01T02:40:25.123Z ╔══╗\n2026-12-01T02:40:25.123Z ║ALERTA║\n2026-12-01T02:40:25.123Z ╚══╝',
    );
    expect(stampLines('one line', 'T')).toBe('T one line');
  });
});
