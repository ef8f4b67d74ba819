// Builds the self-contained dashboard: one index.html with every script, style and basemap inlined,
// guarded by a Content-Security-Policy that allows exactly those inline blocks (by hash).
//
//   node build.mjs           writes index.html
//   node build.mjs --check   exits 1 when index.html is not the build of src/ (CI runs this)
//   SISMOS_NO_MINIFY=1 node build.mjs   keeps the names, for readable CPU profiles (never commit it:
//                                       the check above and the size test fail on it)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { tsImport } from 'tsx/esm/api';

const OUTPUT = 'index.html';

/** Hosts the page may talk to: USGS, a Sismos bridge on this machine (or the one serving the page), map tiles. */
const CONNECT_SRC = [
  "'self'",
  'https://earthquake.usgs.gov',
  'http://127.0.0.1:*',
  'http://localhost:*',
  'ws://127.0.0.1:*',
  'ws://localhost:*',
];
const IMG_SRC = ['data:', 'https://*.basemaps.cartocdn.com', 'https://tile.openstreetmap.org'];

/**
 * The module `sismos:basemap`: world-atlas's Natural Earth 1:110m land and borders, decoded by
 * topojson-client and encoded as polylines (src/dashboard/map/natural-earth.ts), so the page
 * draws the world with no network.
 */
async function basemapPlugin() {
  const require = createRequire(import.meta.url);
  const topology = (name) =>
    JSON.parse(readFileSync(require.resolve(`world-atlas/${name}`), 'utf8'));
  const { encodeBasemap, BASEMAP_FACTOR } = await tsImport(
    './src/dashboard/map/natural-earth.ts',
    import.meta.url,
  );
  const { land, borders } = encodeBasemap(
    topology('land-110m.json'),
    topology('countries-110m.json'),
  );
  const contents = [
    `export const LAND = ${JSON.stringify(land)};`,
    `export const BORDERS = ${JSON.stringify(borders)};`,
    `export const FACTOR = ${BASEMAP_FACTOR};`,
  ].join('\n');
  return {
    name: 'sismos-basemap',
    setup(plugin) {
      plugin.onResolve({ filter: /^sismos:basemap$/ }, (args) => ({
        path: args.path,
        namespace: 'basemap',
      }));
      plugin.onLoad({ filter: /.*/, namespace: 'basemap' }, () => ({ contents, loader: 'js' }));
    },
  };
}

/**
 * The module `sismos:plates`: Peter Bird's PB2002 plate boundaries (data/tectonic-plates/,
 * ODC-By), simplified and encoded as polylines (src/dashboard/map/plate-boundaries.ts).
 */
async function platesPlugin() {
  const { encodePlates, PLATES_FACTOR } = await tsImport(
    './src/dashboard/map/plate-boundaries.ts',
    import.meta.url,
  );
  const boundaries = JSON.parse(
    readFileSync('data/tectonic-plates/PB2002_boundaries.json', 'utf8'),
  );
  const contents = [
    `export const PLATES = ${JSON.stringify(encodePlates(boundaries))};`,
    `export const PLATES_FACTOR = ${PLATES_FACTOR};`,
  ].join('\n');
  return {
    name: 'sismos-plates',
    setup(plugin) {
      plugin.onResolve({ filter: /^sismos:plates$/ }, (args) => ({
        path: args.path,
        namespace: 'plates',
      }));
      plugin.onLoad({ filter: /.*/, namespace: 'plates' }, () => ({ contents, loader: 'js' }));
    },
  };
}

async function bundle(entry, plugins = []) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: process.env.SISMOS_NO_MINIFY !== '1',
    write: false,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    legalComments: 'eof',
    charset: 'utf8',
    // Leaflet's stylesheet names marker and layer-control images the dashboard never shows.
    external: ['*.png'],
    plugins,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text.trimEnd();
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export async function render() {
  const [script, style] = await Promise.all([
    bundle('src/dashboard/main.ts', [await basemapPlugin(), await platesPlugin()]),
    bundle('src/dashboard/styles.css'),
  ]);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    `img-src ${IMG_SRC.join(' ')}`,
    `connect-src ${CONNECT_SRC.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const slots = { CSP: csp, STYLE: style, SCRIPT: script };
  return readFileSync('src/dashboard/index.html', 'utf8').replace(
    /%(CSP)%|\/\*(STYLE|SCRIPT)\*\//g,
    (_, attribute, block) => slots[attribute ?? block],
  );
}

const html = await render();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUTPUT, 'utf8');
  } catch {}
  if (current !== html) {
    console.error(`${OUTPUT} is not the build of src/: run "npm run build" and commit ${OUTPUT}.`);
    process.exit(1);
  }
  console.log(`${OUTPUT} is up to date (${Buffer.byteLength(html)} bytes).`);
} else {
  writeFileSync(OUTPUT, html);
  console.log(
    `wrote ${OUTPUT} (${Buffer.byteLength(html)} bytes); open ${pathToFileURL(OUTPUT).href} in a browser`,
  );
}
