export { expire, type ExpireOptions } from './expire.js';
export { expiryKey, DEFAULT_PREFIX, type RowId } from './key.js';
export { DeletionConsumer, type DeletionConsumerOptions, type DeletionHandler } from './consumer.js';
export { type Deletion } from './deletion.js';
export { type RedisClient, type NodeRedisClient, type IoRedisClient } from './redis.js';
