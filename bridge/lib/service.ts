import { ConfigError, SismosError } from '../../src/core/errors.ts';
import { printable } from '../../src/core/text.ts';
import { fail } from './console.ts';

/**
 * What every long-running command shares: its configuration read once (a ConfigError ends it with
 * one line naming the setting), SIGINT and SIGTERM handled from its very start, and one clean
 * shutdown that prints what the run did and exits 0. The handlers are installed when the Service is
 * made, before the command prints anything: whoever reads its first line may stop it at once.
 */
export class Service {
  readonly name: string;
  readonly #stopping = new AbortController();
  #shutdown: () => Promise<string> = async () => 'stopped before it started';

  constructor(name: string) {
    this.name = name;
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
      if (error instanceof ConfigError) this.fail(error.message);
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
    process.exit(0);
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
