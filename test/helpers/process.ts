import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Command {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `pattern` (checked as output arrives). */
  waitFor(pattern: RegExp | ((stdout: string) => boolean), timeoutMs?: number): Promise<void>;
  /** Resolves once stderr matches `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
}

/** Starts one of the project's TypeScript commands (e.g. "bridge/productor_simple.ts") as a real child process. */
export function startCommand(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Command {
  return startProgram(process.execPath, ['--import', 'tsx', script, ...args], {
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
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
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const listener of listeners) listener();
  });
  const waitUntil = (matches: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (matches()) done(resolve);
        else if (child.exitCode !== null || child.signalCode !== null)
          done(() =>
            reject(
              new Error(`${script} exited before it did ${what}\nstdout:\n${out}\nstderr:\n${err}`),
            ),
          );
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(
                `${script} did not ${what} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`,
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
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const listener of listeners) listener();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      const matches = () => (typeof pattern === 'function' ? pattern(out) : pattern.test(out));
      return waitUntil(matches, `print ${pattern}`, timeoutMs);
    },
    waitForStderr(pattern, timeoutMs = 30_000) {
      return waitUntil(() => pattern.test(err), `print ${pattern} on stderr`, timeoutMs);
    },
  };
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
