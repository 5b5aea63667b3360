export { letheExtension, type LetheExtensionOptions, type TargetMapping } from './publish.js';
export {
  hideExpired,
  includeExpired,
  notExpired,
  type HideExpiredOptions,
  type ExpiringModel,
  type NotExpired,
} from './hide.js';
export { type PrismaExtension } from './extension.js';
