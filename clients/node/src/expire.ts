import { DEFAULT_PREFIX, expiryKey, type RowId } from './key.js';
import { commandsOf, type Commands, type RedisClient } from './redis.js';

export interface ExpireOptions {
  /** Lethe's `lethe.key-prefix`; `lethe` by default. */
  prefix?: string;
}

/**
 * Tells Lethe when a row expires: sets `<prefix>:<target>:<id>` with `PXAT expiresAt`, the absolute instant, so the
 * key and the row carry the same millisecond. A null or undefined expiry deletes the key: the row is kept for good.
 * Call it after the row is committed; Lethe checks the row's expiry in PostgreSQL before deleting anything.
 */
export async function expire(
  redis: RedisClient,
  target: string,
  id: RowId,
  expiresAt: Date | null | undefined,
  options: ExpireOptions = {},
): Promise<void> {
  const key = expiryKey(options.prefix ?? DEFAULT_PREFIX, target, id);
  await sendExpiry(commandsOf(redis), key, expiresAt ?? null);
}

/** SET with PXAT, or DEL for a row that never expires. */
export async function sendExpiry(commands: Commands, key: string, expiresAt: Date | null): Promise<void> {
  if (expiresAt === null) {
    await commands.send(['DEL', key]);
    return;
  }
  const at = expiresAt instanceof Date ? expiresAt.getTime() : Number.NaN;
  if (!Number.isFinite(at)) {
    throw new Error(`Lethe expiry for ${key} must be a valid Date, null or undefined, got ${String(expiresAt)}`);
  }
  // The value is never read; "1" is the smallest there is. Redis refuses PXAT 0 and below, and an instant that
  // long gone is due all the same, so it becomes PXAT 1.
  await commands.send(['SET', key, '1', 'PXAT', String(Math.max(at, 1))]);
}
