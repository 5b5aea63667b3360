package dev.lethe.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The name the benchmark (src/bench) still imports.
 *
 * @deprecated use {@link dev.lethe.testsupport.client.Sql}; delete this once the benchmark has moved to it
 */
@Deprecated
public final class Sql {

    public static final String HOST = dev.lethe.testsupport.client.Sql.HOST;
    public static final int PORT = dev.lethe.testsupport.client.Sql.PORT;
    public static final String USER = dev.lethe.testsupport.client.Sql.USER;

    private final dev.lethe.testsupport.client.Sql sql;

    private Sql(dev.lethe.testsupport.client.Sql sql) {
        this.sql = sql;
    }

    public static Sql createDatabase(String name) {
        return new Sql(dev.lethe.testsupport.client.Sql.createDatabase(name));
    }

    public static void dropDatabase(String name) {
        dev.lethe.testsupport.client.Sql.dropDatabase(name);
    }

    public Connection connect() throws SQLException {
        return sql.connect();
    }

    public void execute(String... statements) {
        sql.execute(statements);
    }

    public List<Object> column(String query, Object... parameters) {
        return sql.column(query, parameters);
    }

    public long count(String query, Object... parameters) {
        return sql.count(query, parameters);
    }
}
