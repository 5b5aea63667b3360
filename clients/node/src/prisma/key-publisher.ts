import { sendExpiry } from '../expire.js';
import { expiryKey, type RowId } from '../key.js';
import type { Commands } from '../redis.js';

/** A row's expiry as its key must carry it: an instant, or null for "never" (the key is deleted). */
export interface Expiry {
  id: RowId;
  expiresAt: Date | null;
}

/** Keys published at once, at most: the commands of one chunk are pipelined, the chunks sent one after another. */
const CHUNK = 500;

/** Sends keys and reports, rather than throws, what it could not send: the rows are written by then. */
export class KeyPublisher {
  readonly #commands: Commands;
  readonly #prefix: string;
  readonly #onError: (error: Error) => void;

  constructor(commands: Commands, prefix: string, onError: (error: Error) => void) {
    this.#commands = commands;
    this.#prefix = prefix;
    this.#onError = onError;
  }

  async publish(target: string, expiries: readonly Expiry[]): Promise<void> {
    const failures: Error[] = [];
    for (let from = 0; from < expiries.length; from += CHUNK) {
      const chunk = expiries.slice(from, from + CHUNK);
      const outcomes = await Promise.allSettled(
        // async, so that an id expiryKey refuses becomes one more failure rather than an exception out of map.
        chunk.map(async ({ id, expiresAt }) =>
          sendExpiry(this.#commands, expiryKey(this.#prefix, target, id), expiresAt),
        ),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') failures.push(asError(outcome.reason));
      }
    }
    const first = failures[0];
    if (first !== undefined) {
      const count = failures.length === 1 ? 'a key' : `${failures.length} keys`;
      this.report(
        new Error(`Lethe could not publish ${count} of target ${target}: ${first.message}`, { cause: first }),
      );
    }
  }

  report(error: Error): void {
    this.#onError(error);
  }
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
