package dev.lethe.testsupport;

import java.util.Map;

/**
 * The voice-note target of db/files.sql: bigint ids, files in a child table whose foreign key takes no action, so
 * that Lethe deletes the child rows itself.
 */
public final class VoiceNotes {

    private VoiceNotes() {
    }

    /** The lethe.targets.voice.* settings. */
    public static Map<String, String> target() {
        return Map.of(
                "lethe.targets.voice.table", "voice_notes",
                "lethe.targets.voice.expires-column", "expires_at",
                "lethe.targets.voice.blobs.table", "voice_note_files",
                "lethe.targets.voice.blobs.parent-column", "note_id",
                "lethe.targets.voice.blobs.key-column", "storage_key");
    }
}
