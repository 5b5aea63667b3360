-- Rows with files in object storage (seed 001: a disappearing message goes with its attachment in R2).

-- Prisma-style messages: an inline attachment key on the row, and more attachments in a child table that goes
-- with its message by ON DELETE CASCADE.
CREATE TABLE "Message" (
    "id"            uuid PRIMARY KEY,
    "chatId"        uuid NOT NULL,
    "body"          text NOT NULL DEFAULT '',
    "expiresAt"     timestamp(3),
    "legalHold"     boolean NOT NULL DEFAULT false,
    "attachmentKey" text
);
CREATE INDEX "Message_expiresAt_idx" ON "Message" ("expiresAt");

CREATE TABLE "Attachment" (
    "id"        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "messageId" uuid NOT NULL REFERENCES "Message" ("id") ON DELETE CASCADE,
    "objectKey" text NOT NULL
);
CREATE INDEX "Attachment_messageId_idx" ON "Attachment" ("messageId");

-- The SQL-first backend's voice notes: bigint ids, files in a child table whose foreign key takes no action, so
-- Lethe must delete the child rows itself.
CREATE TABLE voice_notes (
    id         bigserial PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX voice_notes_expires_at_idx ON voice_notes (expires_at);

CREATE TABLE voice_note_files (
    note_id     bigint NOT NULL REFERENCES voice_notes (id),
    storage_key text NOT NULL
);
CREATE INDEX voice_note_files_note_id_idx ON voice_note_files (note_id);
