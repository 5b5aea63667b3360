import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createClient as createClient4 } from 'redis4';

import type { RedisClient } from '../../src/index.js';

export const REDIS_URL = process.env.LETHE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client of one kind, and how to close it. */
export interface ConnectedClient {
  client: RedisClient;
  close(): Promise<void>;
}

/** The clients this package supports, each tested the same way. */
export interface ClientKind {
  name: string;
  connect(): Promise<ConnectedClient>;
}

export const CLIENT_KINDS: readonly ClientKind[] = [
  {
    name: 'node-redis 5',
    async connect() {
      const client = createClient({ url: REDIS_URL });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: async () => void (await client.close()) };
    },
  },
  {
    name: 'node-redis 5 (RESP3)',
    async connect() {
      const client = createClient({ url: REDIS_URL, RESP: 3 });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: async () => void (await client.close()) };
    },
  },
  {
    name: 'node-redis 4',
    async connect() {
      const client = createClient4({ url: REDIS_URL });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: async () => void (await client.quit()) };
    },
  },
  {
    name: 'ioredis 5',
    async connect() {
      const client = new Redis(REDIS_URL);
      await client.ping();
      return { client, close: async () => void (await client.quit()) };
    },
  },
];

/**
 * The tests' own look at Redis, through one plain connection, so that what a client under test did is checked by
 * another one.
 */
export class RedisInspector {
  readonly #redis = new Redis(REDIS_URL);

  /** The key's expiry as a Unix time in ms; -2 when the key does not exist, -1 when it has none. */
  async expiryOf(key: string): Promise<number> {
    return Number(await this.#redis.call('PEXPIRETIME', key));
  }

  async del(key: string): Promise<void> {
    await this.#redis.del(key);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#redis.exists(key)) === 1;
  }

  async addEntry(stream: string, fields: Record<string, string>): Promise<string> {
    return (await this.#redis.xadd(stream, '*', ...Object.entries(fields).flat())) as string;
  }

  /** Entries given to the group's consumers and not yet acknowledged. */
  async pendingCount(stream: string, group: string): Promise<number> {
    const [count] = (await this.#redis.xpending(stream, group)) as [number, ...unknown[]];
    return Number(count);
  }

  async trim(stream: string): Promise<void> {
    await this.#redis.xtrim(stream, 'MAXLEN', 0);
  }

  /** The id of the connection blocked in XREADGROUP, if there is one (the tests run one consumer at a time). */
  async blockedReader(): Promise<string | undefined> {
    const list = (await this.#redis.call('CLIENT', 'LIST')) as string;
    const reader = list
      .split('\n')
      .map((line) => Object.fromEntries(line.split(' ').map((pair) => pair.split('=', 2) as [string, string])))
      .find((fields) => fields.cmd === 'xreadgroup' && fields.flags?.includes('b'));
    return reader?.id;
  }

  /** Kills a connection: a network failure, as its client sees it. */
  async kill(connectionId: string): Promise<void> {
    await this.#redis.call('CLIENT', 'KILL', 'ID', connectionId);
  }

  /** Deletes every key under the prefix (the tests' keys, streams, and Lethe's test keys). */
  async deleteUnder(prefix: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await this.#redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}

/** A prefix no other run shares, so that parallel or leftover runs never see each other's keys. */
export function uniquePrefix(name: string): string {
  return `lethe-node-test-${name}-${process.pid}-${Date.now().toString(36)}`;
}
