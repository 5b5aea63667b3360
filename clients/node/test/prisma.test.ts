import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { PrismaPg } from '@prisma/adapter-pg';

import { DeletionConsumer, type Deletion } from '../src/index.js';
import { hideExpired, includeExpired, letheExtension, notExpired } from '../src/prisma/index.js';
import { PrismaClient } from './generated/prisma/client.js';
import { createDatabase, databaseUrl, dropDatabase } from './support/database.js';
import { letheJar, startLethe, type RunningLethe } from './support/lethe.js';
import { CLIENT_KINDS, RedisInspector, uniquePrefix, type ConnectedClient } from './support/redis.js';
import { waitFor } from './support/wait.js';

const DATABASE = 'lethe_node_client';
const prefix = uniquePrefix('prisma');
const stream = `${prefix}:deleted`;
const inspector = new RedisInspector();
const targets = { Message: { target: 'message' } } as const;

let base: PrismaClient;
let lethe: RunningLethe | undefined;
const clients = new Map<string, ConnectedClient>();

before(async () => {
  letheJar(); // fails at once, saying how to build it, when the jar is missing
  await createDatabase(DATABASE);
  lethe = await startLethe({
    databaseUrl: databaseUrl(DATABASE),
    keyPrefix: prefix,
    stream,
    properties: {
      'lethe.targets.message.table': 'Message',
      'lethe.targets.message.guard': 'NOT "legalHold"',
      // No look-ahead and a rare sweep: a row deleted on time was deleted because its key expired, which is what
      // the extension is for. (Lethe still sweeps once at startup.)
      'lethe.sweep.lookahead': '0s',
      'lethe.sweep.every': '10m',
    },
  });
  base = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(DATABASE) }) });
  for (const kind of CLIENT_KINDS) clients.set(kind.name, await kind.connect());
});

after(async () => {
  // Each step runs even when one before it failed: the database, Lethe and the keys never outlive the tests.
  const steps: Array<() => Promise<unknown>> = [
    async () => base?.$disconnect(),
    ...[...clients.values()].map((client) => () => client.close()),
    async () => lethe?.stop(),
    () => dropDatabase(DATABASE),
    () => inspector.deleteUnder(prefix),
    () => inspector.close(),
  ];
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
});

function redis(kind = CLIENT_KINDS[0]!.name): ConnectedClient['client'] {
  const client = clients.get(kind);
  if (client === undefined) throw new Error(`no ${kind} client`);
  return client.client;
}

function publishing(kind?: string, onPublishError?: (error: Error) => void) {
  return base.$extends(
    letheExtension({ redis: redis(kind), targets, prefix, ...(onPublishError && { onPublishError }) }),
  );
}

const keyOf = (id: string) => `${prefix}:message:${id}`;
const inAnHour = () => new Date(Date.now() + 3_600_000);
const newChat = () => `chat-${randomUUID()}`;

describe('publishing keys through the Prisma extension', () => {
  for (const kind of CLIENT_KINDS) {
    test(`a message created through the extension (${kind.name}) is gone and announced within a second of its expiry`, async (t) => {
      const prisma = publishing(kind.name);
      const announced = new Map<string, { deletion: Deletion; at: number }>();
      const consumer = new DeletionConsumer(
        redis(kind.name),
        { stream, group: `e2e-${kind.name.replaceAll(' ', '-')}`, consumer: 'api-1', groupStart: '$' },
        (deletion) => void announced.set(deletion.id, { deletion, at: Date.now() }),
      );
      await consumer.start();
      try {
        const expiresAt = new Date(Date.now() + 1500);
        const message = await prisma.message.create({ data: { chatId: newChat(), body: 'gone soon', expiresAt } });
        assert.equal(
          await inspector.expiryOf(keyOf(message.id)),
          expiresAt.getTime(),
          'the key carries the row expiry',
        );

        const deadline = expiresAt.getTime() + 1000;
        const goneAt = await waitFor(
          'the row to be deleted',
          async () =>
            (await base.message.findUnique({ where: { id: message.id } })) === null ? Date.now() : undefined,
          { timeoutMs: deadline - Date.now() },
        );
        const { deletion, at } = await waitFor('the deletion to be announced', () => announced.get(message.id), {
          timeoutMs: Math.max(deadline - Date.now(), 0),
        });
        t.diagnostic(
          `seen gone ${goneAt - expiresAt.getTime()} ms, announced ${at - expiresAt.getTime()} ms ` +
            `after its expiry (${deletion.source})`,
        );
        assert.ok(goneAt <= deadline, `gone ${goneAt - expiresAt.getTime()} ms after its expiry`);
        assert.ok(at <= deadline, `announced ${at - expiresAt.getTime()} ms after its expiry`);
        assert.equal(deletion.target, 'message');
        assert.equal(deletion.source, 'event', 'deleted when its key expired');
        assert.ok(
          deletion.deletedAt.getTime() >= expiresAt.getTime(),
          'deleted at or after its expiry, by the database clock',
        );
      } finally {
        await consumer.stop();
      }
    });
  }

  test('updating the expiry moves the key; setting it to null removes the key and the row stays', async () => {
    const prisma = publishing();
    const chatId = newChat();
    const soon = new Date(Date.now() + 1000);
    const kept = await prisma.message.create({ data: { chatId, body: 'kept', expiresAt: soon } });
    const control = await prisma.message.create({ data: { chatId, body: 'goes at the same moment', expiresAt: soon } });

    const later = inAnHour();
    await prisma.message.update({ where: { id: kept.id }, data: { expiresAt: later } });
    assert.equal(await inspector.expiryOf(keyOf(kept.id)), later.getTime(), 'the key moved with the row');

    await prisma.message.update({ where: { id: kept.id }, data: { expiresAt: null } });
    assert.equal(await inspector.exists(keyOf(kept.id)), false, 'no key for a row that never expires');

    await waitFor('Lethe to delete the row that expired with the first expiry', async () =>
      (await base.message.count({ where: { id: control.id } })) === 0 ? true : undefined,
    );
    assert.deepEqual(await base.message.findUnique({ where: { id: kept.id }, select: { expiresAt: true } }), {
      expiresAt: null,
    });
  });

  test('an update that does not name the expiry leaves the key alone', async () => {
    const prisma = publishing();
    const expiresAt = inAnHour();
    const message = await prisma.message.create({ data: { chatId: newChat(), body: 'draft', expiresAt } });
    await inspector.del(keyOf(message.id));
    await prisma.message.update({ where: { id: message.id }, data: { body: 'edited' } });
    assert.equal(await inspector.exists(keyOf(message.id)), false, 'not published again');
  });

  test('updateMany moves the key of every row it changes, and null removes them', async () => {
    const prisma = publishing();
    const chatId = newChat();
    const rows = await prisma.message.createManyAndReturn({
      data: [1, 2, 3].map((n) => ({ chatId, body: `m${n}`, expiresAt: inAnHour() })),
    });
    const later = new Date(Date.now() + 7_200_000);
    assert.deepEqual(await prisma.message.updateMany({ where: { chatId }, data: { expiresAt: later } }), { count: 3 });
    for (const row of rows) assert.equal(await inspector.expiryOf(keyOf(row.id)), later.getTime());

    await prisma.message.updateMany({ where: { chatId }, data: { expiresAt: { set: null } } });
    for (const row of rows) assert.equal(await inspector.exists(keyOf(row.id)), false);
  });

  test('createManyAndReturn publishes every row written with an expiry', async () => {
    const prisma = publishing();
    const expiresAt = inAnHour();
    const rows = await prisma.message.createManyAndReturn({
      data: [
        { chatId: newChat(), body: 'a', expiresAt },
        { chatId: newChat(), body: 'b', expiresAt: null },
      ],
    });
    assert.equal(await inspector.expiryOf(keyOf(rows[0]!.id)), expiresAt.getTime());
    assert.equal(await inspector.exists(keyOf(rows[1]!.id)), false);
  });

  test('createMany publishes rows that carry their id, and refuses, before writing, rows whose id it cannot know', async () => {
    const prisma = publishing();
    const chatId = newChat();
    const expiresAt = inAnHour();
    const [withExpiry, withoutExpiry] = [randomUUID(), randomUUID()];
    await prisma.message.createMany({
      data: [
        { id: withExpiry, chatId, body: 'a', expiresAt },
        { id: withoutExpiry, chatId, body: 'b' },
      ],
    });
    assert.equal(await inspector.expiryOf(keyOf(withExpiry)), expiresAt.getTime());
    assert.equal(await inspector.exists(keyOf(withoutExpiry)), false);

    const other = newChat();
    await assert.rejects(
      prisma.message.createMany({ data: [{ chatId: other, body: 'c', expiresAt }] }),
      /Message\.createMany cannot know the "id" .* use createManyAndReturn/,
    );
    assert.equal(await base.message.count({ where: { chatId: other } }), 0, 'nothing written');
  });

  test('upsert publishes the expiry of the row it wrote, created or updated', async () => {
    const prisma = publishing();
    const id = randomUUID();
    const first = inAnHour();
    const upsert = (expiresAt: Date | null) =>
      prisma.message.upsert({
        where: { id },
        create: { id, chatId: newChat(), body: 'upserted', expiresAt },
        update: { expiresAt },
      });
    await upsert(first);
    assert.equal(await inspector.expiryOf(keyOf(id)), first.getTime(), 'created');
    const second = new Date(first.getTime() + 60_000);
    await upsert(second);
    assert.equal(await inspector.expiryOf(keyOf(id)), second.getTime(), 'updated');
    await upsert(null);
    assert.equal(await inspector.exists(keyOf(id)), false, 'cleared');
  });

  test('a write that selects neither id nor expiry still publishes, and returns only what it selected', async () => {
    const prisma = publishing();
    const expiresAt = inAnHour();
    const id = randomUUID();
    const created = await prisma.message.create({
      data: { id, chatId: newChat(), body: 'selected', expiresAt },
      select: { body: true },
    });
    assert.deepEqual(created, { body: 'selected' });
    assert.equal(await inspector.expiryOf(keyOf(id)), expiresAt.getTime());

    const later = new Date(expiresAt.getTime() + 1000);
    const updated = await prisma.message.update({
      where: { id },
      data: { expiresAt: later },
      omit: { expiresAt: true, id: true },
    });
    assert.equal('expiresAt' in updated || 'id' in updated, false);
    assert.equal(await inspector.expiryOf(keyOf(id)), later.getTime());
  });

  test('inside an interactive transaction the key is published when the call returns, before the commit', async () => {
    const prisma = publishing();
    const expiresAt = inAnHour();
    const id = await prisma.$transaction(async (tx) => {
      const message = await tx.message.create({ data: { chatId: newChat(), body: 'in a transaction', expiresAt } });
      assert.equal(await inspector.expiryOf(keyOf(message.id)), expiresAt.getTime(), 'published already');
      assert.equal(await base.message.count({ where: { id: message.id } }), 0, 'not committed yet');
      return message.id;
    });
    assert.equal(await base.message.count({ where: { id } }), 1);
  });

  test('a key that cannot be published is reported, and the write it follows stands', async () => {
    const closed = await CLIENT_KINDS[0]!.connect();
    await closed.close();
    const reported: Error[] = [];
    const prisma = base.$extends(
      letheExtension({ redis: closed.client, targets, prefix, onPublishError: (e) => reported.push(e) }),
    );
    const message = await prisma.message.create({
      data: { chatId: newChat(), body: 'written', expiresAt: inAnHour() },
    });
    assert.equal(await base.message.count({ where: { id: message.id } }), 1);
    assert.equal(reported.length, 1);
    assert.match(reported[0]!.message, /^Lethe could not publish a key of target message: /);
  });

  test('a row whose id Lethe cannot take is written, and its key is reported rather than thrown', async () => {
    const reported: Error[] = [];
    const prisma = publishing(undefined, (error) => reported.push(error));
    const id = `two words ${randomUUID()}`;
    await prisma.message.create({ data: { id, chatId: newChat(), body: 'odd id', expiresAt: inAnHour() } });
    assert.equal(await base.message.count({ where: { id } }), 1);
    assert.equal(reported.length, 1);
    assert.match(
      reported[0]!.message,
      /Lethe could not publish a key of target message: Lethe id "two words .*" must not contain whitespace/,
    );
  });

  test('letheExtension refuses a target Lethe could not read, when it is created', () => {
    assert.throws(
      () => letheExtension({ redis: redis(), targets: { Message: { target: 'chat message' } } }),
      /Lethe target "chat message" must be 1 to 64 letters, digits, "_" or "-"/,
    );
  });
});

describe('hiding expired rows from readers', () => {
  test('an expired row Lethe keeps (legal hold) never reaches a reader, and includeExpired shows it', async () => {
    const chatId = newChat();
    const expired = new Date(Date.now() - 60_000);
    const held = await publishing().message.create({
      data: { chatId, body: 'held', legalHold: true, expiresAt: expired },
    });
    // Both get a key that expires at once: Lethe looks at both, and the guard keeps the held one.
    const control = await publishing().message.create({
      data: { chatId: newChat(), body: 'not held', expiresAt: expired },
    });
    const live = await base.message.create({ data: { chatId, body: 'live', expiresAt: inAnHour() } });
    const forever = await base.message.create({ data: { chatId, body: 'forever', expiresAt: null } });
    await waitFor('Lethe to delete the row that expired with the held one', async () =>
      (await base.message.count({ where: { id: control.id } })) === 0 ? true : undefined,
    );
    assert.equal(await base.message.count({ where: { id: held.id } }), 1, 'Lethe keeps it: it is expired, not deleted');

    const reader = base.$extends(hideExpired({ models: { Message: { expiresField: 'expiresAt' } } }));
    const where = { chatId };
    const ids = (rows: Array<{ id: string }>) => rows.map((row) => row.id).sort();

    assert.deepEqual(ids(await reader.message.findMany({ where })), [live.id, forever.id].sort());
    assert.equal(await reader.message.findFirst({ where: { id: held.id } }), null);
    await assert.rejects(reader.message.findFirstOrThrow({ where: { id: held.id } }));
    assert.equal(await reader.message.findUnique({ where: { id: held.id } }), null);
    await assert.rejects(reader.message.findUniqueOrThrow({ where: { id: held.id } }));
    assert.equal(await reader.message.count({ where }), 2);
    const aggregate = await reader.message.aggregate({ where, _count: { _all: true }, _min: { expiresAt: true } });
    assert.equal(aggregate._count._all, 2);
    assert.deepEqual(aggregate._min.expiresAt, live.expiresAt);
    const groups = await reader.message.groupBy({ by: ['chatId'], where, _count: { _all: true } });
    assert.equal(groups[0]?._count._all, 2);
    assert.equal((await reader.message.findUnique({ where: { id: live.id } }))?.id, live.id, 'a live row is found');

    assert.deepEqual(
      ids(await reader.message.findMany({ where, ...includeExpired })),
      [held.id, live.id, forever.id].sort(),
    );
    assert.equal((await reader.message.findUnique({ where: { id: held.id }, ...includeExpired }))?.id, held.id);
    assert.equal(await reader.message.count({ where, ...includeExpired }), 3);
    assert.equal((await reader.message.aggregate({ where, _count: { _all: true }, ...includeExpired }))._count._all, 3);

    const nested = await base.message.findMany({ where: { AND: [where, notExpired('expiresAt')] } });
    assert.deepEqual(
      ids(nested),
      [live.id, forever.id].sort(),
      'notExpired says the same where hideExpired cannot reach',
    );
  });

  test('a required expiry field is read without a NULL branch', async () => {
    const userId = `user-${randomUUID()}`;
    const reader = base.$extends(hideExpired({ models: { RefreshToken: { nullable: false } } }));
    await base.refreshToken.createMany({
      data: [
        { id: `${userId}-old`, userId, tokenHash: 'h1', expiresAt: new Date(Date.now() - 1000) },
        { id: `${userId}-new`, userId, tokenHash: 'h2', expiresAt: inAnHour() },
      ],
    });
    const rows = await reader.refreshToken.findMany({ where: { userId }, select: { id: true } });
    assert.deepEqual(rows, [{ id: `${userId}-new` }]);
  });
});
