package org.hdil2.eligibility.cds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The used {@code jti}s in PostgreSQL, so that every replica refuses a token another replica accepted. The id is
 * recorded in a transaction of its own, committed before the request is served: a request that fails afterwards has
 * still used its token. Two replicas inserting one id at once: the primary key makes the second wait for the first and
 * then insert nothing. Ids are kept a minute past their token's expiry (the verifier's clock skew is 30 s); each call
 * removes up to 100 expired ones, skipping those another call is removing.
 */
@ApplicationScoped
public class DatabaseTokenIds implements UsedTokenIds {

    static final Duration KEEP_AFTER_EXPIRY = Duration.ofSeconds(60);

    @Inject
    AgroalDataSource dataSource;

    @Override
    public boolean firstUse(String issuer, String jti, Instant expires) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement purge = c.prepareStatement("delete from cds_jti where ctid in "
                        + "(select ctid from cds_jti where expires_at < ? limit 100 for update skip locked)")) {
                    purge.setTimestamp(1, Timestamp.from(Instant.now().minus(KEEP_AFTER_EXPIRY)));
                    purge.executeUpdate();
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "insert into cds_jti (issuer, jti, expires_at) values (?,?,?) on conflict do nothing")) {
                    insert.setString(1, issuer);
                    insert.setString(2, jti);
                    insert.setTimestamp(3, Timestamp.from(expires));
                    return insert.executeUpdate() == 1;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the CDS Hooks token id", e);
            }
        });
    }
}
