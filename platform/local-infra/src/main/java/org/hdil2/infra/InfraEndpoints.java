package org.hdil2.infra;

/** Where the broker and the database answer, and how to reach the database as an administrator. */
public record InfraEndpoints(String kafkaBootstrap, String pgAdminJdbcUrl, String pgUser, String pgPassword) {

    /** The JDBC URL of another database on the same server. */
    public String jdbcUrlFor(String database) {
        int slash = pgAdminJdbcUrl.lastIndexOf('/');
        String base = pgAdminJdbcUrl.substring(0, slash + 1);
        String rest = pgAdminJdbcUrl.substring(slash + 1);
        int query = rest.indexOf('?');
        return base + database + (query >= 0 ? rest.substring(query) : "");
    }
}
