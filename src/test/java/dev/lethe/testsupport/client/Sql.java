package dev.lethe.testsupport.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;

/** Plain JDBC against the real PostgreSQL, for setting up and checking tables in tests. */
public final class Sql {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;
    public static final String USER = "postgres";

    private final int port;
    private final String database;

    public Sql(String database) {
        this(PORT, database);
    }

    public Sql(int port, String database) {
        this.port = port;
        this.database = database;
    }

    /** The database the running application uses. */
    public static Sql ofApplication() {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class);
        return new Sql(url.substring(url.lastIndexOf('/') + 1));
    }

    public String database() {
        return database;
    }

    public Connection connect() throws SQLException {
        // The driver directly, not DriverManager: Quarkus restarts tests in fresh class loaders, which
        // DriverManager's registry does not follow.
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        return new org.postgresql.Driver().connect(
                "jdbc:postgresql://" + HOST + ":" + port + "/" + database, properties);
    }

    /** Runs statements (separated by semicolons at line ends is not needed: pass each statement). */
    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs a query with parameters and returns the first column of every row. */
    public List<Object> column(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Object> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getObject(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public long count(String sql, Object... parameters) {
        return ((Number) column(sql, parameters).get(0)).longValue();
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Creates a fresh, empty database (dropping a leftover of an earlier run) and returns access to it. */
    public static Sql createDatabase(String name) {
        Sql admin = new Sql("postgres");
        admin.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)", "CREATE DATABASE \"" + name + "\"");
        return new Sql(name);
    }

    public static void dropDatabase(String name) {
        new Sql("postgres").execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }
}
