package dev.lethe.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.lethe.metrics.EventOutcome;
import dev.lethe.sql.Target;

/**
 * Reads {@code <prefix>:<target>:<id>} from the raw bytes of an expired key. It never throws on input: every key
 * is either accepted or rejected with a reason, whatever bytes it holds.
 */
public final class ExpiryKeyDecoder {

    private static final DecodedKey FOREIGN = new DecodedKey.Rejected(EventOutcome.IGNORED, "another prefix");
    private static final DecodedKey TOO_LONG = new DecodedKey.Rejected(EventOutcome.INVALID, "key too long");
    private static final DecodedKey NO_TARGET = new DecodedKey.Rejected(EventOutcome.INVALID, "no target segment");
    private static final DecodedKey UNKNOWN_TARGET = new DecodedKey.Rejected(EventOutcome.INVALID, "unknown target");
    private static final DecodedKey NOT_UTF8 = new DecodedKey.Rejected(EventOutcome.INVALID, "id is not UTF-8");

    /** The target segment of Lethe's test keys; target names starting with "lethe-" are Lethe's own. */
    static final String CANARY_TARGET = "lethe-canary";
    private static final byte[] CANARY = CANARY_TARGET.getBytes(StandardCharsets.US_ASCII);

    private final byte[] prefix;
    private final int maxLength;
    private final Target[] targets;
    private final byte[][] targetNames;

    /**
     * @param keyPrefix the first segment, without its colon
     * @param maxLength keys longer than this many bytes are invalid
     * @param targets configured targets by name
     */
    public ExpiryKeyDecoder(String keyPrefix, int maxLength, Map<String, Target> targets) {
        this.prefix = (keyPrefix + ":").getBytes(StandardCharsets.UTF_8);
        this.maxLength = maxLength;
        this.targets = targets.values().toArray(Target[]::new);
        this.targetNames = new byte[this.targets.length][];
        for (int i = 0; i < this.targets.length; i++) {
            targetNames[i] = this.targets[i].name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    public DecodedKey decode(byte[] key) {
        if (key.length < prefix.length) {
            return FOREIGN;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return FOREIGN;
            }
        }
        if (key.length > maxLength) {
            return TOO_LONG;
        }
        int separator = -1;
        for (int i = prefix.length; i < key.length; i++) {
            if (key[i] == ':') {
                separator = i;
                break;
            }
        }
        if (separator < 0) {
            return NO_TARGET;
        }
        if (separator - prefix.length == CANARY.length && startsWith(key, prefix.length, CANARY)) {
            return new DecodedKey.Canary(new String(key, StandardCharsets.UTF_8));
        }
        Target target = target(key, prefix.length, separator);
        if (target == null) {
            return UNKNOWN_TARGET;
        }
        String idText = utf8(key, separator + 1);
        if (idText == null) {
            return NOT_UTF8;
        }
        Object id = target.idType().parse(idText);
        if (id == null) {
            return new DecodedKey.Rejected(EventOutcome.INVALID, "not a " + target.idType().configName() + " id");
        }
        return new DecodedKey.Accepted(new ExpiryKey(target, id));
    }

    private static boolean startsWith(byte[] key, int from, byte[] part) {
        for (int i = 0; i < part.length; i++) {
            if (key[from + i] != part[i]) {
                return false;
            }
        }
        return true;
    }

    /** The target named by key[from, to); a handful of targets, compared byte by byte without allocating. */
    private Target target(byte[] key, int from, int to) {
        int length = to - from;
        for (int t = 0; t < targets.length; t++) {
            byte[] name = targetNames[t];
            if (name.length != length) {
                continue;
            }
            int i = 0;
            while (i < length && name[i] == key[from + i]) {
                i++;
            }
            if (i == length) {
                return targets[t];
            }
        }
        return null;
    }

    private static String utf8(byte[] bytes, int offset) {
        boolean ascii = true;
        for (int i = offset; i < bytes.length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
