import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT_KB } from '../../bench/lib/bundle-limit.ts';

describe('index.html', () => {
  it(`stays under ${BUNDLE_LIMIT_KB} KB raw, the bundle target, so a page over it fails npm test and not only npm run bench`, () => {
    const bytes = statSync(new URL('../../index.html', import.meta.url)).size;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(BUNDLE_LIMIT_KB * 1024);
  });
});
