import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Command {
  readonly child: ChildProcess;
  /** Everything printed so far, each line without the time our commands start it with. */
  stdout(): string;
  stderr(): string;
  /** Everything printed so far, exactly as printed. */
  printed(): { readonly stdout: string; readonly stderr: string };
  /** Resolves once stdout matches `pattern` (checked as output arrives). */
  waitFor(pattern: RegExp | ((stdout: string) => boolean), timeoutMs?: number): Promise<void>;
  /** Resolves once stderr matches `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
}

/**
 * Starts one of the project's TypeScript commands (e.g. "bridge/productor_simple.ts") as a real
 * child process. It runs without a revisions topic (REVISIONS_TOPIC empty) unless `env` names one,
 * so no test reads the revisions another test published.
 */
export function startCommand(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Command {
  return startProgram(process.execPath, ['--import', 'tsx', script, ...args], {
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    REVISIONS_TOPIC: '',
    ...env,
  });
}

/** Starts any program (a Python peer, say) as a real child process, with extra environment variables. */
export function startProgram(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): Command {
  const script = [command, ...args].join(' ');
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A command must not outlive the test run that started it, even when the test fails.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const stdout = new Unstamped();
  const stderr = new Unstamped();
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout.add(chunk.toString());
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.add(chunk.toString());
    for (const listener of listeners) listener();
  });
  const waitUntil = (matches: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (matches()) done(resolve);
        else if (ended)
          done(() =>
            reject(
              new Error(
                `${script} exited before it did ${what}\nstdout:\n${stdout.text()}\nstderr:\n${stderr.text()}`,
              ),
            ),
          );
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(
                `${script} did not ${what} within ${timeoutMs} ms\nstdout:\n${stdout.text()}\nstderr:\n${stderr.text()}`,
              ),
            ),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });
  // The process can end before everything it printed has been read from the pipes: the exit is
  // reported once both are closed (or after 5 s, should a process it started still hold them).
  let ended = false;
  const outputClosed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', async (code, signal) => {
      await Promise.race([outputClosed, delay(5_000)]);
      ended = true;
      for (const listener of listeners) listener();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    stdout: () => stdout.text(),
    stderr: () => stderr.text(),
    printed: () => ({ stdout: stdout.raw, stderr: stderr.raw }),
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      const matches = () => {
        const out = stdout.text();
        return typeof pattern === 'function' ? pattern(out) : pattern.test(out);
      };
      return waitUntil(matches, `print ${pattern}`, timeoutMs);
    },
    waitForStderr(pattern, timeoutMs = 30_000) {
      return waitUntil(() => pattern.test(stderr.text()), `print ${pattern} on stderr`, timeoutMs);
    },
  };
}

/** The time our commands start each line with (bridge/lib/service.ts), and its space. */
export const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

/** A stream's output as it arrives, and the same without the time at the start of each line. */
class Unstamped {
  raw = '';
  #lines = '';
  #tail = '';

  add(chunk: string): void {
    this.raw += chunk;
    const text = this.#tail + chunk;
    const end = text.lastIndexOf('\n') + 1;
    this.#lines += unstamp(text.slice(0, end));
    this.#tail = text.slice(end);
  }

  text(): string {
    return this.#lines + unstamp(this.#tail);
  }
}

function unstamp(text: string): string {
  return text.replace(new RegExp(STAMP.source, 'gm'), '');
}

/** Runs a command to completion. */
export async function runCommand(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const command = startCommand(script, env, args);
  const code = await command.exited;
  return { code, stdout: command.stdout(), stderr: command.stderr() };
}

/** Runs any program to completion with extra environment variables. */
export function spawnAndWait(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A program must not outlive the test run that started it, even when the test timed out.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) =>
      resolve({ code: code ?? signal ?? 'unknown', stdout, stderr }),
    );
  });
}
