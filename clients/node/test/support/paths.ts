import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** clients/node, found from wherever the compiled test runs. */
export const PACKAGE_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@lethe/client') return dir;
    dir = dirname(dir);
  }
  throw new Error('The tests run outside the @lethe/client package');
})();

/** The repository's root: the Lethe service this client is for. */
export const REPOSITORY_ROOT = resolve(PACKAGE_ROOT, '../..');
