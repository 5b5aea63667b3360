/**
 * The Redis key that tells Lethe when a row expires: `<prefix>:<target>:<id>`. Lethe matches the prefix byte for
 * byte, takes the target up to the next colon and the rest as the id, so each part is checked here, where a
 * mistake can still be told to the developer, rather than counted as `invalid` by Lethe later.
 */

/** Lethe's `lethe.key-prefix` default. */
export const DEFAULT_PREFIX = 'lethe';

/** Lethe's `lethe.max-key-length` default: longer keys are counted as invalid without being parsed. */
const MAX_KEY_BYTES = 512;
const MAX_ID_BYTES = 400;
const TARGET = /^[A-Za-z0-9_-]{1,64}$/;
// Whitespace or a control character anywhere: such an id cannot be typed into redis-cli or read in a log line.
const UNPRINTABLE = /[\s\p{Cc}]/u;

/** What a row's id may be: Prisma maps `String`, `Int` and `BigInt` ids to these. */
export type RowId = string | number | bigint;

/** The key of one row, checked; throws an Error with one line naming the part to fix. */
export function expiryKey(prefix: string, target: string, id: RowId): string {
  checkPrefix(prefix);
  checkTarget(target);
  const idText = checkId(id);
  const key = `${prefix}:${target}:${idText}`;
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new Error(
      `Lethe key for id ${shown(idText)} is ${bytes} bytes, over Lethe's default lethe.max-key-length of ` +
        `${MAX_KEY_BYTES}: shorten the prefix ${shown(prefix)}`,
    );
  }
  return key;
}

export function checkPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix.length === 0 || UNPRINTABLE.test(prefix)) {
    throw new Error(
      `Lethe key prefix ${shown(prefix)} must be non-empty without whitespace or control characters ` +
        '(it is lethe.key-prefix)',
    );
  }
}

export function checkTarget(target: string): void {
  if (typeof target !== 'string' || !TARGET.test(target)) {
    throw new Error(
      `Lethe target ${shown(target)} must be 1 to 64 letters, digits, "_" or "-" ` +
        '(the <target> of lethe.targets.<target>.table)',
    );
  }
  if (target.startsWith('lethe-')) {
    throw new Error(`Lethe target ${shown(target)} is reserved: names starting with "lethe-" are Lethe's own`);
  }
}

function checkId(id: RowId): string {
  const text = typeof id === 'string' ? id : typeof id === 'number' || typeof id === 'bigint' ? String(id) : undefined;
  if (text === undefined) {
    throw new Error(`Lethe id must be a string, number or bigint, got ${typeof id}`);
  }
  if (text.length === 0) {
    throw new Error('Lethe id must not be empty');
  }
  if (UNPRINTABLE.test(text)) {
    throw new Error(`Lethe id ${shown(text)} must not contain whitespace or control characters`);
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ID_BYTES) {
    throw new Error(`Lethe id ${shown(text)} is ${bytes} bytes in UTF-8; at most ${MAX_ID_BYTES} are allowed`);
  }
  return text;
}

/** A value as it can appear in a one-line message: quoted, escaped (so a newline stays `\n`) and cut short. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}
