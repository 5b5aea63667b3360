import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

import { PACKAGE_ROOT } from './paths.js';
import { waitFor } from './wait.js';

/** The packaged Lethe: `LETHE_JAR`, or the repository's build (`mvn -q -B -ntp package -DskipTests`). */
export function letheJar(): string {
  const jar = resolve(PACKAGE_ROOT, process.env.LETHE_JAR ?? '../../target/quarkus-app/quarkus-run.jar');
  if (!existsSync(jar)) {
    throw new Error(
      `Lethe's jar is not at ${jar}: build it in the repository root with ` +
        '"mvn -q -B -ntp package -DskipTests", or set LETHE_JAR',
    );
  }
  return jar;
}

export interface LetheSettings {
  databaseUrl: string;
  keyPrefix: string;
  stream: string;
  /** Further `-D` properties, e.g. `lethe.targets.message.table`. */
  properties: Readonly<Record<string, string>>;
}

/** A Lethe started by the tests, as a child process they end by its pid. */
export interface RunningLethe {
  readonly pid: number;
  /** What it logged last, for a failure message. */
  recentOutput(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = Number(process.env.LETHE_START_TIMEOUT_MS ?? 60_000);
const STOP_TIMEOUT_MS = 10_000;

/** Starts Lethe on spare ports and resolves once it reports ready. */
export async function startLethe(settings: LetheSettings): Promise<RunningLethe> {
  const jar = letheJar();
  const httpPort = await sparePort();
  const managementPort = await sparePort();
  const { username, host, database } = parsedUrl(settings.databaseUrl);
  const properties: Record<string, string> = {
    'quarkus.http.port': String(httpPort),
    // Harmless while the management interface is off; where a later build turns it on, readiness moves there.
    'quarkus.management.port': String(managementPort),
    'quarkus.datasource.reactive.url': `postgresql://${host}/${database}`,
    'quarkus.datasource.username': username,
    'quarkus.redis.hosts': process.env.LETHE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    'lethe.key-prefix': settings.keyPrefix,
    'lethe.events.stream': settings.stream,
    'lethe.shutdown.drain-timeout': '2s',
    ...settings.properties,
  };
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const args = [
    // A small, quickly started JVM: the tests send a handful of rows.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Xmx256m',
    ...Object.entries(properties).map(([name, value]) => `-D${name}=${value}`),
    '-jar',
    jar,
  ];
  const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lethe = new LetheProcess(child);
  try {
    const readiness = [httpPort, managementPort].map((port) => `http://127.0.0.1:${port}/q/health/ready`);
    await waitFor(
      `Lethe (pid ${child.pid}) to report ready at ${readiness[0]}`,
      async () => {
        if (lethe.exited) throw new Error(`Lethe exited at start:\n${lethe.recentOutput()}`);
        for (const url of readiness) {
          if (await answersOk(url)) return true;
        }
        return undefined;
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
    );
  } catch (error) {
    await lethe.stop();
    throw new Error(`${(error as Error).message}\n${lethe.recentOutput()}`);
  }
  return lethe;
}

class LetheProcess implements RunningLethe {
  readonly pid: number;
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #exit: Promise<void>;
  #exited = false;
  readonly #killOnExit = (): void => this.#signal('SIGKILL');
  readonly #killOnSignal = (signal: NodeJS.Signals): void => {
    this.#signal('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  constructor(child: ChildProcess) {
    if (child.pid === undefined) throw new Error('Lethe did not start (is java on the PATH, or JAVA_HOME set?)');
    this.pid = child.pid;
    this.#child = child;
    const keep = (chunk: Buffer): void => {
      this.#lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.#lines.splice(0, Math.max(0, this.#lines.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#exit = new Promise((done) => child.once('exit', () => done()));
    void this.#exit.then(() => {
      this.#exited = true;
    });
    // Should the test process end without its after hooks (an uncaught error, Ctrl-C, a runner's timeout), Lethe
    // goes with it; a database left behind is dropped by the next run.
    process.once('exit', this.#killOnExit);
    process.once('SIGINT', this.#killOnSignal);
    process.once('SIGTERM', this.#killOnSignal);
  }

  get exited(): boolean {
    return this.#exited;
  }

  recentOutput(): string {
    return this.#lines.join('\n');
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.#killOnExit);
    process.removeListener('SIGINT', this.#killOnSignal);
    process.removeListener('SIGTERM', this.#killOnSignal);
    if (this.#exited) return;
    this.#signal('SIGTERM');
    const stopped = await Promise.race([
      this.#exit.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref()),
    ]);
    if (!stopped) {
      this.#signal('SIGKILL');
      await this.#exit;
    }
  }

  #signal(signal: NodeJS.Signals): void {
    try {
      process.kill(this.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function parsedUrl(url: string): { username: string; host: string; database: string } {
  const parsed = new URL(url);
  return {
    username: decodeURIComponent(parsed.username) || 'postgres',
    host: `${parsed.hostname}:${parsed.port || '5432'}`,
    database: parsed.pathname.slice(1),
  };
}
