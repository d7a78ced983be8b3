package org.hdil2.testinfra;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/** Reads the service's own database in tests, to check what was (and was not) written. */
public final class TestDb {

    private TestDb() {
    }

    /** The single number {@code sql} (a {@code select count(*) ...}) returns. */
    public static long count(DataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** Runs one statement that changes rows, for tests that must set up what no API may (a course of 45 days ago). */
    public static int execute(DataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql, e);
        }
    }
}
