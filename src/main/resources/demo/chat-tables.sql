-- The demo's tables: those of the README's "Ready-made targets", as `prisma migrate` creates them from the models
-- there (DateTime is timestamp(3) without time zone, written in UTC; String ids are text). IF NOT EXISTS, so that a
-- second start keeps the first one's rows.

CREATE TABLE IF NOT EXISTS "Message" (
    "id"        TEXT NOT NULL,
    "chatId"    TEXT NOT NULL,
    "body"      TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "legalHold" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "Message_expiresAt_idx" ON "Message"("expiresAt");

CREATE TABLE IF NOT EXISTS "SessionKey" (
    "id"         TEXT NOT NULL,
    "sessionKey" BYTEA NOT NULL,
    "expiresAt"  TIMESTAMP(3),
    CONSTRAINT "SessionKey_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "SessionKey_expiresAt_idx" ON "SessionKey"("expiresAt");

CREATE TABLE IF NOT EXISTS "RefreshToken" (
    "id"        TEXT NOT NULL,
    "userId"    TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "RefreshToken_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "RefreshToken_expiresAt_idx" ON "RefreshToken"("expiresAt");

CREATE TABLE IF NOT EXISTS "PasswordResetToken" (
    "id"        TEXT NOT NULL,
    "userId"    TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt"    TIMESTAMP(3),
    CONSTRAINT "PasswordResetToken_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "PasswordResetToken_expiresAt_idx" ON "PasswordResetToken"("expiresAt");
-- Used tokens are due at once (also-due-when); a partial index, added by hand to the migration, finds them.
CREATE INDEX IF NOT EXISTS "PasswordResetToken_usedAt_idx" ON "PasswordResetToken"("id") WHERE "usedAt" IS NOT NULL;

CREATE TABLE IF NOT EXISTS "EmailVerificationToken" (
    "id"        TEXT NOT NULL,
    "userId"    TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt"    TIMESTAMP(3),
    CONSTRAINT "EmailVerificationToken_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "EmailVerificationToken_expiresAt_idx" ON "EmailVerificationToken"("expiresAt");
-- Used tokens are due at once (also-due-when); a partial index, added by hand to the migration, finds them.
CREATE INDEX IF NOT EXISTS "EmailVerificationToken_usedAt_idx" ON "EmailVerificationToken"("id") WHERE "usedAt" IS NOT NULL;
