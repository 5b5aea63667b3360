/**
 * The two Redis clients a Node backend uses, told apart by their shape, so that neither is a dependency.
 *
 * Every command goes through the client's generic command method (node-redis' `sendCommand`, ioredis' `call`)
 * rather than its typed helpers: node-redis 4 and 5 shape stream replies differently and their typed XREADGROUP
 * throws on an entry trimmed from the stream, while the raw replies are the same in all three clients.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each client's own signatures are far richer
type AnyFunction = (...args: any[]) => unknown;

/** A node-redis 4 or 5 client (`createClient()`), connected. */
export interface NodeRedisClient {
  sendCommand: AnyFunction;
  duplicate: AnyFunction;
}

/** An ioredis 5 client (`new Redis()`). */
export interface IoRedisClient {
  call: AnyFunction;
  duplicate: AnyFunction;
}

export type RedisClient = NodeRedisClient | IoRedisClient;

/** One way to send a command, whichever client is behind it. */
export interface Commands {
  send(args: Command): Promise<unknown>;
}

/** A command and its arguments: `['SET', key, '1', 'PXAT', '1767225600000']`. */
export type Command = readonly [string, ...string[]];

/** A connection this package opened and must close. */
export interface OwnedConnection extends Commands {
  /** Waits for the replies of commands already sent, then closes. */
  close(): Promise<void>;
  /** Closes at once; a command waiting for its reply (a blocking read) fails. */
  abort(): void;
}

export function commandsOf(client: RedisClient): Commands {
  if (isIoRedis(client)) {
    return { send: ([command, ...rest]) => client.call(command, ...rest) as Promise<unknown> };
  }
  if (isNodeRedis(client)) {
    return { send: (args) => client.sendCommand([...args]) as Promise<unknown> };
  }
  throw new Error('Lethe needs a node-redis client (createClient from "redis") or an ioredis client (new Redis())');
}

/**
 * A new connection with the client's settings, for commands that block it (XREADGROUP with BLOCK) and so must not
 * share the application's connection.
 */
export async function duplicateOf(client: RedisClient, onError: (error: Error) => void): Promise<OwnedConnection> {
  if (isIoRedis(client)) {
    const copy = client.duplicate() as IoRedisConnection;
    copy.on('error', onError);
    return {
      send: ([command, ...rest]) => copy.call(command, ...rest),
      close: async () => {
        await copy.quit().catch(() => copy.disconnect());
      },
      abort: () => copy.disconnect(),
    };
  }
  if (isNodeRedis(client)) {
    const copy = client.duplicate() as NodeRedisConnection;
    // Without a listener node-redis turns a connection error into an uncaught exception.
    copy.on('error', onError);
    await copy.connect();
    return {
      send: (args) => copy.sendCommand([...args]),
      close: async () => {
        // node-redis 5 closes with close(), 4 with quit().
        const closing = copy.close ? copy.close() : copy.quit?.();
        await Promise.resolve(closing).catch(() => undefined);
      },
      abort: () => {
        const aborting = copy.destroy ? copy.destroy() : copy.disconnect?.();
        Promise.resolve(aborting).catch(() => undefined);
      },
    };
  }
  throw new Error('Lethe needs a node-redis client (createClient from "redis") or an ioredis client (new Redis())');
}

function isIoRedis(client: RedisClient): client is IoRedisClient {
  return typeof (client as Partial<IoRedisClient>).call === 'function';
}

function isNodeRedis(client: RedisClient): client is NodeRedisClient {
  return typeof (client as Partial<NodeRedisClient>).sendCommand === 'function';
}

/** The parts of a duplicated ioredis connection used here. */
interface IoRedisConnection {
  call(command: string, ...args: string[]): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** The parts of a duplicated node-redis connection used here; 4 and 5 name their closing methods differently. */
interface NodeRedisConnection {
  sendCommand(args: string[]): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  connect(): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): unknown;
  disconnect?(): Promise<unknown>;
}
