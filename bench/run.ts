/**
 * `npm run bench`: every benchmark in turn, each in its own process (so none inherits another's
 * heap or compiled code), on one local Kafka broker for those that need it; then docs/benchmarks.md
 * is written from bench/results.json. Takes about 15 minutes on 2 cores.
 *
 *   npm run bench
 *   BENCH_ONLY=bundle,producer npm run bench    # some of them; the others keep their last results
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withBroker } from './lib/broker.ts';
import { RESULTS_FILE } from './lib/results.ts';
import { writeReport } from './report.ts';

const BENCHMARKS = [
  'bundle',
  'dashboard-ingest',
  'dashboard-memory',
  'snapshot',
  'producer',
  'bridge-relay',
  'procesador-qog',
] as const;
const KAFKA: ReadonlySet<string> = new Set(['producer', 'bridge-relay', 'procesador-qog']);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(name: string, env: NodeJS.ProcessEnv): boolean {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  if (result.status === 0) return true;
  console.error(`bench/${name}.ts failed (exit ${result.status ?? result.signal})`);
  return false;
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const chosen = BENCHMARKS.filter((name) => only === undefined || only.includes(name));
  if (only === undefined) rmSync(RESULTS_FILE, { force: true });
  const failed: string[] = [];
  for (const name of chosen.filter((n) => !KAFKA.has(n))) {
    if (!run(name, process.env)) failed.push(name);
  }
  const kafka = chosen.filter((n) => KAFKA.has(n));
  if (kafka.length > 0) {
    await withBroker(async (brokers) => {
      for (const name of kafka) {
        if (!run(name, { ...process.env, KAFKA_BROKERS: brokers })) failed.push(name);
      }
    });
  }
  const doc = writeReport(failed);
  console.log(`\nwrote ${doc}`);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exit(1);
  }
}

await main();
