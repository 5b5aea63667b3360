-- Rows that fell due while the service was down: they exist before it starts and no key will ever announce them.
INSERT INTO "Message" ("id", "chatId", "expiresAt")
SELECT gen_random_uuid(), gen_random_uuid(), (now() AT TIME ZONE 'UTC') - interval '1 hour' FROM generate_series(1, 40);
INSERT INTO refresh_tokens (user_id, expires_at) SELECT gen_random_uuid(), now() - interval '1 day' FROM generate_series(1, 25);
