import { format } from 'node:util';
import { ConfigError, SismosError } from '../../src/core/errors.ts';
import { printable } from '../../src/core/text.ts';
import { exitWhenPrinted, fail, stampLines } from './console.ts';
import { wantsHelp } from './help.ts';

/** Exit status of a command started with a setting it cannot run with (a usage error). */
const CONFIG_EXIT = 2;

/**
 * What every command shares: `--help` (or `-h`) prints `help` and exits 0 before anything else
 * happens; every line it prints then starts with the wall-clock time; its configuration is read
 * once (a ConfigError ends it with one line naming the setting, exit 2); SIGINT and SIGTERM are
 * handled from its very start, with one clean shutdown that prints what the run did and exits 0.
 * All of it is set up when the Service is made, before the command prints anything: whoever reads
 * its first line may stop it at once.
 */
export class Service {
  readonly name: string;
  readonly #stopping = new AbortController();
  #shutdown: () => Promise<string> = async () => 'stopped before it started';

  constructor(name: string, help: string) {
    this.name = name;
    if (wantsHelp(process.argv.slice(2))) {
      console.log(help);
      process.exit(0);
    }
    stampConsole();
    process.on('SIGINT', () => void this.#stop('SIGINT'));
    process.on('SIGTERM', () => void this.#stop('SIGTERM'));
  }

  /** Aborted by the first SIGINT or SIGTERM. */
  get stopping(): AbortSignal {
    return this.#stopping.signal;
  }

  /** The configuration `read` returns; a ConfigError ends the command with its message. */
  config<C>(read: () => C): C {
    try {
      return read();
    } catch (error) {
      if (error instanceof ConfigError) fail(this.name, error.message, CONFIG_EXIT);
      throw error;
    }
  }

  /**
   * What the first SIGINT or SIGTERM runs: `shutdown` finishes the work in hand and closes what the
   * command opened, and returns what the run did, printed after the signal's name; then exit 0.
   */
  onStop(shutdown: () => Promise<string>): void {
    this.#shutdown = shutdown;
  }

  /** Ends the command: one line on stderr, exit code 1. */
  fail(message: string): never {
    fail(this.name, message);
  }

  async #stop(signal: string): Promise<void> {
    if (this.#stopping.signal.aborted) return;
    this.#stopping.abort(new Error(`stopped by ${signal}`));
    console.log(`${signal}: ${await this.#shutdown()}`);
    exitWhenPrinted(0);
  }
}

/**
 * Makes every line console.log and console.error print start with the time, ISO 8601 UTC to the
 * millisecond, so a log read later (or two commands' logs side by side) says when each thing happened.
 */
function stampConsole(): void {
  for (const method of ['log', 'error'] as const) {
    const write = console[method].bind(console);
    console[method] = (...args: unknown[]) =>
      write(stampLines(format(...args), new Date().toISOString()));
  }
}

/**
 * A step of a service that failed for a reason that may go away (a broker restarting, a full
 * disk): reported in one line, then tried again. kafkajs reads `retriable` on an error a batch
 * handler throws and handles the batch again.
 */
export class StepError extends SismosError {
  constructor(line: string, cause: unknown) {
    super('STEP_FAILED', line, true, { cause });
  }
}

/** Prints `line` on stderr (one line per failure) and returns it as the StepError to throw. */
export function failedStep(line: string, cause: unknown): StepError {
  console.error(printable(line));
  return new StepError(line, cause);
}
