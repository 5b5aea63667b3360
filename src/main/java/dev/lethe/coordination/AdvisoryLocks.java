package dev.lethe.coordination;

/**
 * The PostgreSQL advisory locks Lethe takes, all in one key space of its own so that they never meet an
 * application's: the first key is always "LETH", the second says what the lock guards.
 */
public final class AdvisoryLocks {

    /** The first key of every Lethe advisory lock: "LETH". */
    public static final int CLASS = 0x4C455448;
    /** Held shared by every live instance, so that each can count them. */
    public static final int MEMBERS = 0;
    /** Held by the instance that upgrades Lethe's own schema. */
    public static final int MIGRATIONS = -1;

    private AdvisoryLocks() {
    }

    /** The lock that makes an instance the owner of a target; never one of the reserved keys above. */
    public static int target(String name) {
        int key = ("target:" + name).hashCode();
        return key == MEMBERS || key == MIGRATIONS ? 1 : key;
    }
}
