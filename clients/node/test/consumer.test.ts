import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Redis } from 'ioredis';

import { DeletionConsumer, type Deletion, type DeletionConsumerOptions } from '../src/index.js';
import { CLIENT_KINDS, REDIS_URL, RedisInspector, uniquePrefix, type ConnectedClient } from './support/redis.js';
import { waitFor } from './support/wait.js';

const prefix = uniquePrefix('consumer');
const inspector = new RedisInspector();
let streams = 0;

after(async () => {
  await inspector.deleteUnder(prefix);
  await inspector.close();
});

/** A stream of its own for each test, with entries shaped as Lethe writes them. */
function newStream(): { stream: string; group: string; add(count: number, from?: number): Promise<string[]> } {
  const stream = `${prefix}:deleted-${++streams}`;
  return {
    stream,
    group: 'chat-api',
    async add(count, from = 0) {
      const ids: string[] = [];
      for (let i = from; i < from + count; i++) {
        ids.push(`m${i}`);
        await inspector.addEntry(stream, {
          target: 'message',
          id: `m${i}`,
          source: i % 2 === 0 ? 'event' : 'sweep',
          deletedAt: new Date().toISOString(),
        });
      }
      return ids;
    },
  };
}

for (const kind of CLIENT_KINDS) {
  describe(`DeletionConsumer with ${kind.name}`, () => {
    let redis: ConnectedClient;
    before(async () => {
      redis = await kind.connect();
    });
    after(async () => {
      await redis.close();
    });

    function consumer(
      options: Partial<DeletionConsumerOptions> & { stream: string },
      handler: (d: Deletion) => unknown,
    ) {
      const errors: Error[] = [];
      const consumer = new DeletionConsumer(
        redis.client,
        { group: 'chat-api', consumer: 'api-1', onError: (error) => errors.push(error), ...options },
        async (deletion) => void (await handler(deletion)),
      );
      return { consumer, errors };
    }

    test('hands each entry over as a typed deletion and acknowledges it', async () => {
      const { stream, group, add } = newStream();
      await add(3);
      const seen: Deletion[] = [];
      const { consumer: reader } = consumer({ stream }, (deletion) => seen.push(deletion));
      await reader.start();
      await waitFor('three deletions', () => (seen.length === 3 ? true : undefined));
      await reader.stop();
      assert.deepEqual(
        seen.map((d) => [d.target, d.id, d.source]),
        [
          ['message', 'm0', 'event'],
          ['message', 'm1', 'sweep'],
          ['message', 'm2', 'event'],
        ],
      );
      assert.ok(
        seen.every((d) => d.deletedAt instanceof Date && Math.abs(d.deletedAt.getTime() - Date.now()) < 60_000),
      );
      assert.equal(await inspector.pendingCount(stream, group), 0);
    });

    test('a consumer restarted after failing mid-batch misses nothing, its unacknowledged entries first', async () => {
      const { stream, group, add } = newStream();
      const first = await add(10);
      const handledBefore: string[] = [];
      const failing = consumer({ stream, count: 4 }, (deletion) => {
        if (deletion.id === 'm5') throw new Error('the socket server is away');
        handledBefore.push(deletion.id);
      });
      await failing.consumer.start();
      await assert.rejects(failing.consumer.finished, /the socket server is away/);
      // Batches of 4: m0-m3 acknowledged, then m4; m5 failed, and m5-m7 stay pending for api-1.
      assert.deepEqual(handledBefore, ['m0', 'm1', 'm2', 'm3', 'm4']);
      assert.equal(await inspector.pendingCount(stream, group), 3);
      assert.match(failing.errors[0]?.message ?? '', /Lethe deletion handler failed: the socket server is away/);

      const whileDown = await add(5, 10);
      const handledAfter: string[] = [];
      const restarted = consumer({ stream, count: 4 }, (deletion) => void handledAfter.push(deletion.id));
      await restarted.consumer.start();
      await waitFor('the entries of the first run and those added while it was down', () =>
        handledAfter.length >= 10 ? true : undefined,
      );
      await restarted.consumer.stop();

      assert.deepEqual(handledAfter.slice(0, 3), ['m5', 'm6', 'm7'], 'its own pending entries come first');
      assert.deepEqual([...handledBefore, ...handledAfter], [...first, ...whileDown]);
      assert.equal(await inspector.pendingCount(stream, group), 0);
    });

    test('stop resolves after the batch in hand is handled and acknowledged, and reads nothing more', async () => {
      const { stream, group, add } = newStream();
      await add(6);
      const handled: string[] = [];
      let stopping: Promise<void> | undefined;
      const { consumer: reader } = consumer({ stream, count: 3 }, (deletion) => {
        stopping ??= reader.stop();
        handled.push(deletion.id);
      });
      await reader.start();
      await waitFor('a stop asked for by the first handler', () => (stopping === undefined ? undefined : true));
      await stopping;
      assert.deepEqual(handled, ['m0', 'm1', 'm2']);
      assert.equal(await inspector.pendingCount(stream, group), 0, 'the batch in hand is acknowledged');
      await reader.finished;
    });

    test('stop cuts short a read that waits for new entries', async () => {
      const { stream } = newStream();
      const { consumer: reader } = consumer({ stream, blockMs: 30_000 }, () => undefined);
      await reader.start();
      await waitFor('the read to block', () => inspector.blockedReader());
      const started = Date.now();
      await reader.stop();
      assert.ok(Date.now() - started < 1000, `stopped in ${Date.now() - started} ms, not after the 30 s block`);
    });

    test('a consumer whose connection is killed reads again and misses nothing', async () => {
      const { stream, group, add } = newStream();
      const handled: string[] = [];
      const { consumer: reader } = consumer({ stream, blockMs: 10_000 }, (deletion) => void handled.push(deletion.id));
      await reader.start();
      await inspector.kill(await waitFor('the consumer to block on its read', () => inspector.blockedReader()));
      const ids = await add(4);
      await waitFor('the entries added after the connection was killed', () =>
        handled.length >= 4 ? true : undefined,
      );
      await reader.stop();
      assert.deepEqual(handled, ids);
      assert.equal(await inspector.pendingCount(stream, group), 0);
    });

    test('an entry trimmed from the stream before it was handled is reported, acknowledged and skipped', async () => {
      const { stream, group, add } = newStream();
      await add(2);
      const failing = consumer({ stream }, () => {
        throw new Error('not now');
      });
      await failing.consumer.start();
      await assert.rejects(failing.consumer.finished, /not now/);
      await inspector.trim(stream);
      const handled: string[] = [];
      const restarted = consumer({ stream }, (deletion) => void handled.push(deletion.id));
      await restarted.consumer.start();
      await waitFor('both trimmed entries to be reported', () => (restarted.errors.length >= 2 ? true : undefined));
      await restarted.consumer.stop();
      assert.deepEqual(handled, []);
      assert.match(restarted.errors[0]?.message ?? '', /was trimmed from the stream before it was handled; skipped/);
      assert.equal(await inspector.pendingCount(stream, group), 0);
    });
  });
}

test('DeletionConsumer refuses options it cannot work with, one line each, before connecting', async () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const make = (options: Partial<DeletionConsumerOptions>) => () =>
    new DeletionConsumer(redis, { stream: 's', group: 'g', consumer: 'c', ...options }, () => undefined);
  assert.throws(make({ count: 0 }), {
    message: 'DeletionConsumer count must be a whole number from 1 to 10000, got 0',
  });
  assert.throws(make({ blockMs: 1.5 }), {
    message: 'DeletionConsumer blockMs must be a whole number from 1 to 60000, got 1.5',
  });
  assert.throws(make({ consumer: '' }), { message: 'DeletionConsumer consumer must be a non-empty string' });
  assert.equal(redis.status, 'wait', 'never connected');
  redis.disconnect();
});
