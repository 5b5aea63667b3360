package dev.lethe.demo;

import java.util.List;

/**
 * One table of the demo and how the demo writes a row into it. Each insert takes the row's time to live in seconds
 * ($1) and, for a table where some rows must stay, whether this one does ($2); it returns the id and the expiry in
 * epoch milliseconds (NULL for a row that never expires), which become the key and its PXAT.
 *
 * @param target the target name, the key's middle segment
 * @param table the table the target names
 * @param insert the statement that writes one row
 * @param keptOneIn every how many rows one is written to stay (on legal hold, or without an expiry); 0 for none
 */
record DemoTable(String target, String table, String insert, int keptOneIn) {

    /** Prisma writes DateTime as UTC into timestamp(3), and so does the demo. */
    private static final String EXPIRY = "date_trunc('milliseconds', now() AT TIME ZONE 'UTC') + make_interval(secs => $1)";
    private static final String RETURNING = "RETURNING \"id\", (extract(epoch FROM \"expiresAt\") * 1000)::int8";

    static final List<DemoTable> ALL = List.of(
            new DemoTable("message", "Message", """
                    INSERT INTO "Message" ("id", "chatId", "body", "expiresAt", "legalHold")
                    VALUES (gen_random_uuid()::text, 'demo-chat', 'a disappearing message', %s, $2)
                    %s""".formatted(EXPIRY, RETURNING), 10),
            new DemoTable("session", "SessionKey", """
                    INSERT INTO "SessionKey" ("id", "sessionKey", "expiresAt")
                    VALUES (gen_random_uuid()::text, gen_random_uuid()::text::bytea, CASE WHEN $2 THEN NULL ELSE %s END)
                    %s""".formatted(EXPIRY, RETURNING), 10),
            token("refresh", "RefreshToken"),
            token("reset", "PasswordResetToken"),
            token("verify", "EmailVerificationToken"));

    private static DemoTable token(String target, String table) {
        return new DemoTable(target, table, """
                INSERT INTO "%s" ("id", "userId", "tokenHash", "expiresAt")
                VALUES (gen_random_uuid()::text, 'demo-user', md5(random()::text), %s)
                %s""".formatted(table, EXPIRY, RETURNING), 0);
    }

    boolean keepsSome() {
        return keptOneIn > 0;
    }
}
