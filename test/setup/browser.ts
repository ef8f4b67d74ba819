import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from '../helpers/browser.ts';

/**
 * Browser tests need Debian's Chromium and the index.html that src/ builds now.
 * On a fresh machine (as root) Chromium is installed here, so `npm test` alone sets everything up.
 */
export default function setup(): void {
  if (!existsSync(CHROMIUM) && process.getuid?.() === 0 && CHROMIUM === '/usr/bin/chromium') {
    console.log('e2e: installing Debian chromium (apt-get install chromium) ...');
    const apt = {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    } as const;
    execFileSync('apt-get', ['update', '-qq'], apt);
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], apt);
  }
  execFileSync(process.execPath, ['build.mjs'], { stdio: 'inherit' });
}
