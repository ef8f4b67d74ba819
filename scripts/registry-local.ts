/**
 * A real schema registry without Docker: Apicurio Registry, whose Confluent-compatible API
 * (/apis/ccompat/v7) Confluent's clients speak, from the distribution Apicurio publishes on Maven
 * Central (fetched once into the cache, no build step), on the local JVM, in memory.
 *
 *   npm run registry:local                  # on 127.0.0.1:8081 until Ctrl+C
 *   npm run registry:local -- --port 18081
 *
 * Tests import startRegistry() to get a throw-away one on a free port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cacheDir, freePort, run, tail } from './kafka-local.ts';

export const REGISTRY_VERSION = '2.6.13.Final';
/** The Quarkus runner jar inside the distribution. */
const RUNNER = `apicurio-registry-app-${REGISTRY_VERSION}-runner.jar`;
/** A small heap, serial GC and C1 only: half the start-up CPU and RSS of the JVM's defaults on 2 cores. */
export const REGISTRY_JAVA_OPTS = [
  '-Xms64m',
  '-Xmx384m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Xss512k',
];
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

export interface LocalRegistry {
  /** The Confluent-compatible API, e.g. "http://127.0.0.1:40123/apis/ccompat/v7": SCHEMA_REGISTRY_URL. */
  readonly url: string;
  readonly pid: number | undefined;
  readonly logFile: string;
  /** How long the JVM took from spawn to its first answer, in ms. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

/**
 * Unpacks Apicurio's own distribution (the `all` tar.gz attached to apicurio-registry-app, 142 MB)
 * with Maven, once; later calls return the cached directory at once.
 */
export async function ensureRegistryDist(): Promise<string> {
  const home = join(cacheDir(), `apicurio-${REGISTRY_VERSION}`);
  const dist = join(home, 'dist');
  if (existsSync(join(dist, RUNNER))) return dist;
  mkdirSync(home, { recursive: true });
  const pom = join(home, 'pom.xml');
  writeFileSync(pom, registryPom());
  // Unpack next to the final place and rename, so a concurrent or interrupted run never sees half a directory.
  const staging = mkdtempSync(join(home, 'dist-'));
  const result = await run('mvn', [
    '-q',
    '-B',
    '-f',
    pom,
    'dependency:unpack-dependencies',
    `-DoutputDirectory=${staging}`,
  ]);
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const why =
      result.code === null
        ? `'mvn' was not found on PATH (Debian: apt-get install maven), or set SCHEMA_REGISTRY_URL to a running registry`
        : `mvn exited ${result.code}:\n${tail(result.output)}`;
    throw new Error(
      `could not fetch Apicurio Registry ${REGISTRY_VERSION} from Maven Central: ${why}`,
    );
  }
  try {
    renameSync(staging, dist);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process finished first
  }
  return dist;
}

/** Starts an in-memory registry (empty at every start) on `port`, a free one when omitted. */
export async function startRegistry(port?: number): Promise<LocalRegistry> {
  const dist = await ensureRegistryDist();
  const listen = port ?? (await freePort());
  const logFile = join(mkdtempSync(join(tmpdir(), 'sismos-registry-')), 'registry.log');
  const out = openSync(logFile, 'a');
  const started = Date.now();
  const child: ChildProcess = spawn(
    'java',
    [
      ...REGISTRY_JAVA_OPTS,
      '-Dquarkus.http.host=127.0.0.1',
      `-Dquarkus.http.port=${listen}`,
      '-Dquarkus.log.level=WARN',
      // Re-registering a schema that differs only in spacing returns its id, as Confluent's registry does.
      '-Dregistry.ccompat.use-canonical-hash=true',
      '-jar',
      join(dist, RUNNER),
    ],
    { stdio: ['ignore', out, out] },
  );
  closeSync(out);
  // A registry must not outlive the process that started it, even when that process fails.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `cannot run java for the schema registry (${error.message}); install Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)`,
        ),
      ),
    );
    child.once('exit', (code, signal) => {
      process.off('exit', orphanGuard);
      reject(
        new Error(
          `the schema registry (pid ${child.pid}) ended with ${signal ?? `code ${code}`} before it was ready; last lines of ${logFile}:\n${tail(readLog(logFile))}`,
        ),
      );
    });
  });
  exited.catch(() => {});
  const url = `http://127.0.0.1:${listen}/apis/ccompat/v7`;
  await Promise.race([waitUntilServing(url), exited]);
  const startupMs = Date.now() - started;
  return {
    url,
    pid: child.pid,
    logFile,
    startupMs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Resolves once GET `url`/subjects answers 200. */
export async function waitUntilServing(url: string, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`the schema registry at ${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function registryPom(): string {
  // Only the archive: its POM's own dependencies are inside it, and some are not on Maven Central.
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.sismos</groupId>
  <artifactId>schema-registry</artifactId>
  <version>${REGISTRY_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.apicurio</groupId>
      <artifactId>apicurio-registry-app</artifactId>
      <version>${REGISTRY_VERSION}</version>
      <classifier>all</classifier>
      <type>tar.gz</type>
      <exclusions>
        <exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion>
      </exclusions>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
        <configuration>
          <overWriteReleases>true</overWriteReleases>
          <markersDirectory>\${project.build.directory}/markers</markersDirectory>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

const USAGE = `Usage: npm run registry:local -- [--port P]

Runs Apicurio Registry ${REGISTRY_VERSION} (in memory: empty at every start) from Maven Central on
this machine's loopback until Ctrl+C, and prints the SCHEMA_REGISTRY_URL to give the commands.

Options:
  --port P   HTTP port (REGISTRY_LOCAL_PORT, 8081)
  --help     this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.REGISTRY_LOCAL_PORT ?? '8081' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port must be a whole number from 1 to 65535, got "${values.port}"`);
  console.log(`Starting Apicurio Registry ${REGISTRY_VERSION} (in memory) ...`);
  const registry = await startRegistry(port);
  console.log(
    `Schema registry ready in ${(registry.startupMs / 1000).toFixed(1)} s (pid ${registry.pid}, log ${registry.logFile}). Ctrl+C stops it.`,
  );
  console.log(`Point the commands at it with SCHEMA_REGISTRY_URL=${registry.url}`);
  const stop = async () => {
    console.log('Stopping the schema registry ...');
    await registry.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`registry:local: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
