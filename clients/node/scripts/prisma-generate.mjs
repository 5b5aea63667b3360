// Generates the tests' Prisma Client from test/prisma/schema.prisma.
//
// Prisma 7's client needs no engine (the query compiler is WebAssembly inside @prisma/client), but its CLI fetches
// the schema engine binary at start, from a host outside the npm registry, even for `generate`, which never runs
// it. Naming an existing file as that binary skips the download; nothing here needs the schema engine (the tests
// apply the schema with chat-tables.sql, not `prisma db push`).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const run = spawnSync(process.execPath, [cli, 'generate', '--schema', 'test/prisma/schema.prisma'], {
  env,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
