/**
 * Benchmark 5, the bundle: the size of the built index.html, raw and gzipped, against its limit (bench/lib/bundle-limit.ts).
 *
 *   npx tsx bench/bundle.ts
 *
 * It measures the committed index.html after checking it is the build of src/ (as CI does).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BUNDLE_LIMIT_KB } from './lib/bundle-limit.ts';
import { saveResult, timed } from './lib/results.ts';
import { figure, figuresTable, renderTable } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KB = 1024;

/** The three parts of the page: scripts, styles, and the markup around them. */
function parts(html: string): Record<'script' | 'style' | 'markup', number> {
  const block = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].reduce(
      (sum, match) => sum + Buffer.byteLength(match[1] ?? ''),
      0,
    );
  const script = block('script');
  const style = block('style');
  return { script, style, markup: Buffer.byteLength(html) - script - style };
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['build.mjs', '--check'], { cwd: ROOT, stdio: 'inherit' });
  const result = await timed(async () => {
    const html = readFileSync(`${ROOT}index.html`);
    const raw = html.length;
    const gzip = gzipSync(html, { level: 9 }).length;
    const { script, style, markup } = parts(html.toString('utf8'));
    const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
    return {
      title: 'Bundle (index.html)',
      figures: [
        figure('bundle-raw', 'index.html, raw', ' KB', [raw / KB], {
          op: '<',
          value: BUNDLE_LIMIT_KB,
        }),
        figure('bundle-gzip', 'index.html, gzip -9', ' KB', [gzip / KB]),
      ],
      tables: [
        {
          title: 'index.html',
          headers: ['part', 'bytes', 'size'],
          rows: [
            [
              'scripts (Leaflet, the dashboard, the encoded world outlines)',
              String(script),
              kb(script),
            ],
            ['styles (Leaflet and the dashboard)', String(style), kb(style)],
            ['markup', String(markup), kb(markup)],
            ['total, raw', String(raw), kb(raw)],
            ['total, gzip -9', String(gzip), kb(gzip)],
          ],
        },
      ],
      notes: [
        'KB is 1,024 bytes. The gzip figure is what a server compressing the page would send.',
      ],
    };
  });
  for (const table of [...result.tables, figuresTable('Figures', result.figures)]) {
    console.log(`\n${renderTable(table)}`);
  }
  saveResult('bundle', result);
}

await main();
