/**
 * Python virtualenvs under the Sismos cache, for the Spark job (PySpark) and the course's Python
 * scripts in the tests (confluent-kafka): created with the system's python3, packages from PyPI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './kafka-local.ts';

/**
 * The python of the virtualenv `name`, with the packages of `requirements` installed: the first
 * call installs them, later ones return at once until the requirements file changes.
 */
export function ensureVenv(name: string, requirements: string): string {
  const venv = join(cacheDir(), name);
  const python = join(venv, 'bin', 'python');
  // What was installed last, so a changed requirements file installs again.
  const stamp = join(venv, 'sismos-requirements.txt');
  const wanted = readFileSync(requirements, 'utf8');
  if (!existsSync(python))
    run(
      'python3',
      ['-m', 'venv', venv],
      'Python 3 with venv is needed (Debian: apt-get install python3-venv)',
    );
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    console.log(`installing ${wanted.trim().split('\n').join(', ')} into ${venv} (once) ...`);
    run(python, ['-m', 'pip', 'install', '-q', '-r', requirements], 'could not install from PyPI');
    writeFileSync(stamp, wanted);
  }
  return python;
}

function run(command: string, args: string[], why: string): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(
      `${why}: ${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
}
