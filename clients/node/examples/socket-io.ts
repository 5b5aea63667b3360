/**
 * Tells a chat's connected clients that a message disappeared: each deletion Lethe announces becomes a Socket.IO
 * `message:deleted` event to the room of the message's chat.
 *
 * The row is gone when the entry arrives, so the chat cannot be read from PostgreSQL any more: the backend keeps
 * its own small lookup, written with the message and expiring a minute after it, which also bounds its size.
 */
import { hostname } from 'node:os';

import { DeletionConsumer, expire } from '@lethe/client';
import { createClient } from 'redis';
import { Server } from 'socket.io';

const redis = createClient({ url: process.env.REDIS_URL });
redis.on('error', (error) => console.error('redis', error));
await redis.connect();

const io = new Server(Number(process.env.PORT ?? 3000));
io.on('connection', (socket) => {
  // However the app authorises it: here the client names the chat it opens.
  socket.on('chat:open', (chatId: string) => void socket.join(roomOf(chatId)));
});

const roomOf = (chatId: string) => `chat:${chatId}`;
const chatKeyOf = (messageId: string) => `chat-of-message:${messageId}`;

/** What the backend does when it writes a disappearing message (after the row is committed). */
export async function messageWritten(message: { id: string; chatId: string; expiresAt: Date | null }): Promise<void> {
  await expire(redis, 'message', message.id, message.expiresAt);
  if (message.expiresAt !== null) {
    await redis.set(chatKeyOf(message.id), message.chatId, { PXAT: message.expiresAt.getTime() + 60_000 });
  }
}

const deletions = new DeletionConsumer(
  redis,
  { stream: 'lethe:deleted', group: 'chat-api', consumer: process.env.HOSTNAME ?? hostname() },
  async (deletion) => {
    if (deletion.target !== 'message') return;
    const chatId = await redis.get(chatKeyOf(deletion.id));
    // Unknown: written before the lookup existed, or announced again after its lookup expired. Nobody to tell.
    if (chatId === null) return;
    io.to(roomOf(chatId)).emit('message:deleted', { id: deletion.id, at: deletion.deletedAt.toISOString() });
    await redis.del(chatKeyOf(deletion.id));
  },
);
await deletions.start();

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    await deletions.stop();
    io.close();
    await redis.close();
  });
}
