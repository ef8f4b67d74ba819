import { fileURLToPath } from 'node:url';
import { ensureVenv } from '../../scripts/python-venv.ts';
import { spawnAndWait } from './process.ts';

const OBSPY = fileURLToPath(new URL('../obspy/', import.meta.url));

/** What ObsPy read from a QuakeML file (test/obspy/read_quakeml.py). */
export interface ObspyReading {
  readonly valid_relaxng: boolean;
  readonly valid_xsd: boolean;
  readonly xsd_errors: string[];
  readonly events: {
    readonly id: string;
    /** ISO 8601 in UTC without an offset, microseconds when not whole seconds. */
    readonly time: string;
    readonly latitude: number;
    readonly longitude: number;
    readonly depth_m: number | null;
    readonly mag: number | null;
    readonly type: string | null;
  }[];
}

/** ObsPy's virtualenv python, with test/obspy/requirements.txt installed once into the Sismos cache. */
export function obspyPython(): string {
  return ensureVenv('obspy-venv', `${OBSPY}requirements.txt`);
}

/** Reads `file` with ObsPy and validates it against the QuakeML 1.2 schemas ObsPy ships. */
export async function readWithObspy(file: string): Promise<ObspyReading> {
  const result = await spawnAndWait(obspyPython(), [`${OBSPY}read_quakeml.py`, file], {});
  if (result.code !== 0) throw new Error(`ObsPy could not read ${file}:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}
