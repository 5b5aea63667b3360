package dev.lethe.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Text files shipped inside the application (SQL scripts), also in a native executable. */
public final class ClasspathText {

    private ClasspathText() {
    }

    /** The whole resource as UTF-8; a resource that is missing is a bug in the build, not a user's mistake. */
    public static String read(String resource) {
        try (InputStream in = ClasspathText.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource, e);
        }
    }
}
