import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import pg from 'pg';

import { REPOSITORY_ROOT } from './paths.js';

const SERVER_URL = process.env.LETHE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
/** The tables of the README's ready-made targets, as `prisma migrate` creates them from test/prisma/schema.prisma. */
const CHAT_TABLES = join(REPOSITORY_ROOT, 'src/main/resources/demo/chat-tables.sql');

export function databaseUrl(database: string): string {
  return `${SERVER_URL}/${database}`;
}

/** A fresh database with the chat tables; one left behind by an interrupted run is dropped first. */
export async function createDatabase(database: string): Promise<void> {
  await onServer(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted(database)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoted(database)}`);
  });
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    // One simple-protocol query runs the whole file.
    await client.query(readFileSync(CHAT_TABLES, 'utf8'));
  } finally {
    await client.end();
  }
}

/** Drops the database, closing whatever is still connected to it. */
export async function dropDatabase(database: string): Promise<void> {
  await onServer((admin) => admin.query(`DROP DATABASE IF EXISTS ${quoted(database)} WITH (FORCE)`));
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
