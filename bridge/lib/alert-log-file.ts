import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { AlertLogReader, type LoggedAlert } from '../../src/core/alert-log.ts';

/** What reading `alertas.log` back found. */
interface LogReadBack {
  readonly alerts: number;
  /** Entries cut short by a crash; their quakes are alerted again. */
  readonly torn: number;
}

/** Reads `path` back entry by entry (a missing file is an empty log). */
export async function readAlertLog(
  path: string,
  onAlert: (alert: LoggedAlert) => void,
): Promise<LogReadBack> {
  const reader = new AlertLogReader();
  let alerts = 0;
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      const alert = reader.line(line);
      if (alert !== null) {
        alerts++;
        onAlert(alert);
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { alerts: 0, torn: 0 };
    throw error;
  }
  return { alerts, torn: reader.torn };
}

/** `alertas.log`, open for appending; each append is on disk when it resolves. */
export interface AlertLogFile {
  /** Appends `text` and waits for fsync, so a crash right after cannot lose it. */
  append(text: string): Promise<void>;
  close(): Promise<void>;
}

export async function openAlertLog(path: string): Promise<AlertLogFile> {
  const existed = await stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  const handle = await open(path, 'a+');
  try {
    const { size } = await handle.stat();
    if (size > 0) {
      // An entry cut short by a crash may lack its newline; the next one must start on a line of its own.
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        await handle.appendFile('\n');
        await handle.sync();
      }
    }
    if (!existed) await syncDirectory(dirname(path));
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    async append(text) {
      await handle.appendFile(text, 'utf8');
      await handle.sync();
    },
    close: () => handle.close(),
  };
}

/** A new file's directory entry is only durable once its directory is synced too. */
async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
