import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expire, expiryKey } from '../src/index.js';
import { CLIENT_KINDS, RedisInspector, uniquePrefix, type ConnectedClient } from './support/redis.js';

const prefix = uniquePrefix('expire');
const inspector = new RedisInspector();

after(async () => {
  await inspector.deleteUnder(prefix);
  await inspector.close();
});

for (const kind of CLIENT_KINDS) {
  describe(`expire with ${kind.name}`, () => {
    let redis: ConnectedClient;
    before(async () => {
      redis = await kind.connect();
    });
    after(async () => {
      await redis.close();
    });

    test('sets the key to expire at the row expiry, to the millisecond (PXAT)', async () => {
      const expiresAt = new Date(Date.now() + 3_600_000);
      await expire(redis.client, 'message', 'm-at', expiresAt, { prefix });
      assert.equal(await inspector.expiryOf(`${prefix}:message:m-at`), expiresAt.getTime());
    });

    test('a second call moves the key to the new expiry', async () => {
      await expire(redis.client, 'message', 'm-moved', new Date(Date.now() + 60_000), { prefix });
      const later = new Date(Date.now() + 7_200_000);
      await expire(redis.client, 'message', 'm-moved', later, { prefix });
      assert.equal(await inspector.expiryOf(`${prefix}:message:m-moved`), later.getTime());
    });

    test('a null or undefined expiry deletes the key, so the row is kept', async () => {
      for (const never of [null, undefined]) {
        await expire(redis.client, 'session', 's-kept', new Date(Date.now() + 60_000), { prefix });
        await expire(redis.client, 'session', 's-kept', never, { prefix });
        assert.equal(await inspector.exists(`${prefix}:session:s-kept`), false);
      }
    });

    test('numeric ids are written as their decimal text', async () => {
      const expiresAt = new Date(Date.now() + 60_000);
      await expire(redis.client, 'audit', 9007199254740993n, expiresAt, { prefix });
      await expire(redis.client, 'audit', 42, expiresAt, { prefix });
      assert.equal(await inspector.expiryOf(`${prefix}:audit:9007199254740993`), expiresAt.getTime());
      assert.equal(await inspector.expiryOf(`${prefix}:audit:42`), expiresAt.getTime());
    });
  });
}

describe('expire refuses what Lethe could not read', () => {
  let redis: ConnectedClient;
  before(async () => {
    redis = await CLIENT_KINDS[0]!.connect();
  });
  after(async () => {
    await redis.close();
  });

  const badTargets: Array<[string, RegExp]> = [
    ['', /Lethe target "" must be 1 to 64 letters, digits, "_" or "-"/],
    ['chat message', /Lethe target "chat message" must be/],
    ['chat:message', /Lethe target "chat:message" must be/],
    ['m'.repeat(65), /Lethe target "m{40}\.\.\." must be 1 to 64/],
    ['lethe-canary', /Lethe target "lethe-canary" is reserved/],
  ];
  for (const [target, message] of badTargets) {
    test(`refuses the target ${JSON.stringify(target.slice(0, 20))} with one line naming it, and writes nothing`, async () => {
      await assert.rejects(expire(redis.client, target, 'm1', new Date(), { prefix }), oneLine(message));
      assert.equal(await inspector.exists(`${prefix}:${target}:m1`), false);
    });
  }

  const badIds: Array<[string, RegExp]> = [
    ['', /^Lethe id must not be empty$/],
    ['two words', /Lethe id "two words" must not contain whitespace or control characters/],
    ['line\nbreak', /Lethe id "line\\nbreak" must not contain whitespace or control characters/],
    ['tab\there', /Lethe id "tab\\there" must not contain whitespace/],
    ['bell\u0007', /Lethe id "bell\\u0007" must not contain whitespace or control characters/],
    ['é'.repeat(201), /Lethe id "é{40}\.\.\." is 402 bytes in UTF-8; at most 400 are allowed/],
  ];
  for (const [id, message] of badIds) {
    test(`refuses the id ${JSON.stringify(id.slice(0, 12))} with one line naming it, and writes nothing`, async () => {
      await assert.rejects(expire(redis.client, 'message', id, new Date(), { prefix }), oneLine(message));
      assert.equal(await inspector.exists(`${prefix}:message:${id}`), false);
    });
  }

  test('refuses a prefix with whitespace, naming lethe.key-prefix', async () => {
    await assert.rejects(
      expire(redis.client, 'message', 'm1', new Date(), { prefix: 'my app' }),
      oneLine(
        /Lethe key prefix "my app" must be non-empty without whitespace or control characters \(it is lethe\.key-prefix\)/,
      ),
    );
  });

  test('refuses an invalid Date rather than writing a key that never expires', async () => {
    await assert.rejects(
      expire(redis.client, 'message', 'm-nan', new Date(Number.NaN), { prefix }),
      oneLine(/must be a valid Date/),
    );
    assert.equal(await inspector.exists(`${prefix}:message:m-nan`), false);
  });

  test('takes an id of exactly 400 bytes and refuses one of 401', () => {
    assert.equal(expiryKey('lethe', 'message', 'x'.repeat(400)), `lethe:message:${'x'.repeat(400)}`);
    assert.throws(() => expiryKey('lethe', 'message', 'x'.repeat(401)), oneLine(/is 401 bytes/));
  });
});

/** An Error whose message is the one line given. */
function oneLine(message: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof Error, 'an Error');
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return true;
  };
}
