import { parseDeletion, type Deletion } from './deletion.js';
import { duplicateOf, type Command, type OwnedConnection, type RedisClient } from './redis.js';
import { entriesOf, type StreamEntry } from './stream-reply.js';

export interface DeletionConsumerOptions {
  /** Lethe's `lethe.events.stream`, e.g. `lethe:deleted`. */
  stream: string;
  /** The consumer group: one per application, so that each entry is handled by one of its instances. */
  group: string;
  /** This instance's name in the group, the same after a restart (a host or pod name), so it gets back its own
   * unacknowledged entries. */
  consumer: string;
  /** Entries read at once, at most; 100 by default. */
  count?: number;
  /** How long one read waits for new entries, in ms; 2000 by default. stop() does not wait for it. */
  blockMs?: number;
  /** Where a group created by this consumer starts: `0` (every entry the stream still holds, the default) or `$`
   * (only entries added from now on). An existing group keeps its position. */
  groupStart?: '0' | '$';
  /** Told of what the consumer gets over by itself: a lost connection (it reads again after a pause), an entry
   * that is not Lethe's or was trimmed before it was read (acknowledged and skipped), and a failed handler. One line
   * to standard error by default. */
  onError?: (error: Error) => void;
}

export type DeletionHandler = (deletion: Deletion) => void | Promise<void>;

/**
 * The consumer's life. `finishing` is `handling` with a stop asked for: the batch in hand is handled and
 * acknowledged, and nothing more is read.
 */
type State =
  'new' | 'starting' | 'reading' | 'handling' | 'finishing' | 'backingOff' | 'stopping' | 'stopped' | 'failed';

const TRANSITIONS: Readonly<Record<State, readonly State[]>> = {
  new: ['starting', 'stopped'],
  starting: ['reading', 'failed'],
  reading: ['handling', 'backingOff', 'stopping'],
  handling: ['reading', 'finishing', 'backingOff', 'failed'],
  finishing: ['stopping', 'failed'],
  backingOff: ['reading', 'stopping'],
  stopping: ['stopped'],
  stopped: [],
  failed: [],
};

/** Read first: the entries this consumer was given before and did not acknowledge (after a crash, say). */
const OWN_PENDING = '0';
/** Then: entries no consumer of the group was given yet. */
const NEW_ENTRIES = '>';
const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;

/**
 * Reads Lethe's deletion stream in a consumer group and hands each entry to a handler, at least once: an entry is
 * acknowledged (XACK) only after its handler resolved, and on start the consumer first reads again the entries it
 * was given and did not acknowledge, then new ones. A handler that throws stops the consumer; its entry and the
 * rest of its batch stay pending and come first at the next start. The blocking read has a connection of its own,
 * a duplicate of the client passed in. A consumer starts once; a new one takes over after a stop.
 */
export class DeletionConsumer {
  readonly #redis: RedisClient;
  readonly #handler: DeletionHandler;
  readonly #stream: string;
  readonly #group: string;
  readonly #consumer: string;
  readonly #count: number;
  readonly #blockMs: number;
  readonly #groupStart: '0' | '$';
  readonly #onError: (error: Error) => void;

  #state: State = 'new';
  #connection: OwnedConnection | undefined;
  #backoffMs = MIN_BACKOFF_MS;
  #wakeUp: (() => void) | undefined;
  #started: Promise<void> | undefined;
  #running: Promise<void> = Promise.resolve();
  #lastConnectionError = { message: '', at: 0 };

  constructor(redis: RedisClient, options: DeletionConsumerOptions, handler: DeletionHandler) {
    this.#redis = redis;
    this.#handler = handler;
    this.#stream = required('stream', options.stream);
    this.#group = required('group', options.group);
    this.#consumer = required('consumer', options.consumer);
    this.#count = whole('count', options.count ?? 100, 1, 10_000);
    this.#blockMs = whole('blockMs', options.blockMs ?? 2000, 1, 60_000);
    this.#groupStart = options.groupStart ?? '0';
    if (this.#groupStart !== '0' && this.#groupStart !== '$') {
      throw new Error(`DeletionConsumer groupStart must be "0" or "$", got ${JSON.stringify(this.#groupStart)}`);
    }
    this.#onError = options.onError ?? ((error) => console.error(`[lethe] ${error.message}`));
  }

  /**
   * Opens the consumer's connection, creates the group if it is missing, and starts reading. Resolves once the
   * group exists; rejects (and leaves nothing open) when Redis refuses.
   */
  start(): Promise<void> {
    if (this.#started === undefined) {
      this.#moveTo('starting');
      this.#started = this.#open();
    }
    return this.#started;
  }

  /**
   * Stops reading. Resolves once the batch in hand is handled and acknowledged and the connection is closed; a
   * read waiting for new entries is cut short. Its entries, if Redis had just sent them, stay pending for the next
   * start.
   */
  async stop(): Promise<void> {
    if (this.#state === 'new') {
      this.#moveTo('stopped');
      return;
    }
    await this.#started?.catch(() => undefined);
    switch (this.#state) {
      case 'reading':
        this.#moveTo('stopping');
        this.#connection?.abort();
        break;
      case 'handling':
        this.#moveTo('finishing');
        break;
      case 'backingOff':
        this.#moveTo('stopping');
        this.#wakeUp?.();
        break;
      default:
        break;
    }
    await this.#running.catch(() => undefined);
  }

  /** Resolves when the consumer stopped on request, rejects with the handler's error when one failed. */
  get finished(): Promise<void> {
    return this.#running;
  }

  async #open(): Promise<void> {
    try {
      this.#connection = await duplicateOf(this.#redis, (error) => this.#reportConnectionError(error));
      await this.#createGroup();
    } catch (error) {
      this.#connection?.abort();
      this.#moveTo('failed');
      throw error;
    }
    this.#moveTo('reading');
    this.#running = this.#run();
    // The outcome is also reported through onError; this only keeps an unobserved failure from ending the process.
    this.#running.catch(() => undefined);
  }

  async #run(): Promise<void> {
    let cursor = OWN_PENDING;
    try {
      while (this.#is('reading')) {
        let entries: StreamEntry[];
        try {
          entries = await this.#read(cursor);
          this.#backoffMs = MIN_BACKOFF_MS;
        } catch (error) {
          if (this.#is('stopping')) break;
          this.#onError(asError(error, 'Lethe deletion stream read failed'));
          cursor = await this.#backOff();
          continue;
        }
        if (this.#is('stopping')) break;
        if (entries.length === 0) {
          cursor = NEW_ENTRIES;
          continue;
        }
        this.#moveTo('handling');
        const last = await this.#handleBatch(entries);
        if (last === undefined) {
          cursor = await this.#backOff();
          continue;
        }
        if (cursor !== NEW_ENTRIES) cursor = last;
        if (this.#is('finishing')) {
          this.#moveTo('stopping');
          break;
        }
        this.#moveTo('reading');
      }
    } catch (error) {
      this.#moveTo('failed');
      this.#connection?.abort();
      this.#onError(asError(error, 'Lethe deletion handler failed'));
      throw error;
    }
    // A stop asked for while an acknowledgement failed leaves the loop still finishing.
    if (this.#is('finishing')) this.#moveTo('stopping');
    await this.#connection?.close();
    this.#moveTo('stopped');
  }

  /**
   * Handles and acknowledges the entries in order; returns the last entry's id, or undefined when an
   * acknowledgement failed (that entry and the rest come again, from the pending list). A handler's error escapes.
   */
  async #handleBatch(entries: StreamEntry[]): Promise<string | undefined> {
    let last: string | undefined;
    for (const [entryId, fields] of entries) {
      if (fields === null) {
        this.#onError(
          new Error(`Lethe deletion entry ${entryId} was trimmed from the stream before it was handled; skipped`),
        );
      } else {
        let deletion: Deletion | undefined;
        try {
          deletion = parseDeletion(entryId, fields);
        } catch (error) {
          this.#onError(asError(error, `Lethe deletion entry ${entryId} could not be read; skipped`));
        }
        if (deletion !== undefined) await this.#handler(deletion);
      }
      try {
        await this.#send(['XACK', this.#stream, this.#group, entryId]);
      } catch (error) {
        this.#onError(asError(error, `Lethe deletion entry ${entryId} could not be acknowledged`));
        return undefined;
      }
      last = entryId;
    }
    return last;
  }

  /** Waits before reading again (cut short by stop()), then makes sure the group exists; returns the cursor. */
  async #backOff(): Promise<string> {
    if (this.#state !== 'reading' && this.#state !== 'handling') return OWN_PENDING;
    this.#moveTo('backingOff');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#backoffMs);
      this.#wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wakeUp = undefined;
    this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
    if (this.#is('backingOff')) {
      this.#moveTo('reading');
      // A Redis restarted without persistence has lost the group; the read would fail with NOGROUP.
      await this.#createGroup().catch(() => undefined);
    }
    return OWN_PENDING;
  }

  async #read(cursor: string): Promise<StreamEntry[]> {
    // BLOCK is only meaningful for new entries; the pending list answers at once.
    const block = cursor === NEW_ENTRIES ? ['BLOCK', String(this.#blockMs)] : [];
    const reply = await this.#send([
      'XREADGROUP',
      'GROUP',
      this.#group,
      this.#consumer,
      'COUNT',
      String(this.#count),
      ...block,
      'STREAMS',
      this.#stream,
      cursor,
    ]);
    return entriesOf(reply, this.#stream);
  }

  async #createGroup(): Promise<void> {
    try {
      await this.#send(['XGROUP', 'CREATE', this.#stream, this.#group, this.#groupStart, 'MKSTREAM']);
    } catch (error) {
      if (!String((error as Error)?.message ?? error).startsWith('BUSYGROUP')) throw error;
    }
  }

  #send(args: Command): Promise<unknown> {
    if (this.#connection === undefined) return Promise.reject(new Error('DeletionConsumer is not started'));
    return this.#connection.send(args);
  }

  /** A client retrying its connection repeats the same error several times a second: one line per 30 s is enough. */
  #reportConnectionError(error: Error): void {
    const now = Date.now();
    const last = this.#lastConnectionError;
    if (error.message === last.message && now - last.at < 30_000) return;
    this.#lastConnectionError = { message: error.message, at: now };
    this.#onError(new Error(`Lethe deletion stream connection: ${error.message}`, { cause: error }));
  }

  /** A method rather than a comparison, so that TypeScript does not narrow the state across an await. */
  #is(state: State): boolean {
    return this.#state === state;
  }

  /** The one place the state changes; a transition not drawn in TRANSITIONS is a bug in this class. */
  #moveTo(next: State): void {
    if (!TRANSITIONS[this.#state].includes(next)) {
      throw new Error(`DeletionConsumer cannot go from ${this.#state} to ${next}`);
    }
    this.#state = next;
  }
}

function required(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`DeletionConsumer ${name} must be a non-empty string`);
  }
  return value;
}

function whole(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`DeletionConsumer ${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function asError(error: unknown, context: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${context}: ${message}`, { cause: error });
}
