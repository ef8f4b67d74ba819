import { fileURLToPath } from 'node:url';
import { ensureVenv } from '../../scripts/python-venv.ts';
import { type LocalRegistry, startRegistry } from '../../scripts/registry-local.ts';
import { spawnAndWait } from './process.ts';

const PEERS = fileURLToPath(new URL('../peers/', import.meta.url));

/**
 * A throw-away schema registry for one test file (scripts/registry-local.ts), or the one in
 * SCHEMA_REGISTRY_URL when set; each test uses subjects of its own, so files may share one.
 */
export async function testRegistry(): Promise<Pick<LocalRegistry, 'url' | 'stop'>> {
  const existing = process.env.SCHEMA_REGISTRY_URL;
  if (existing !== undefined && existing !== '') return { url: existing, stop: async () => {} };
  const registry = await startRegistry();
  console.log(`schema registry started in ${(registry.startupMs / 1000).toFixed(1)} s`);
  return registry;
}

/** The Avro peer's virtualenv python, with confluent-kafka[avro] (fastavro) installed once. */
export function avroPython(): string {
  return ensureVenv('avro-venv', `${PEERS}avro-requirements.txt`);
}

/** Runs test/peers/avro_sismos.py (the course's Avro example shape) to its end. */
export function runAvroPeer(env: Record<string, string>, args: string[]) {
  return spawnAndWait(avroPython(), ['-u', `${PEERS}avro_sismos.py`, ...args], env);
}
