package org.hdil2.eligibility.cds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.kit.audit.RequestId;

import io.agroal.api.AgroalDataSource;

/**
 * Audit entries for changes a CDS Client causes. Its callers are verified by the CDS Hooks JWT, not by OIDC, so the
 * actor is the client ({@code cds:<iss>}) and the EHR user it names; the entry goes to the same {@code audit_entry}
 * table, channel {@code cds-hooks}, in the same transaction as the change.
 */
@ApplicationScoped
public class CdsAudit {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RequestId requestId;

    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, String action, String patientId, String resourceType, String resourceId, Map<String, ?> details) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("insert into audit_entry (occurred_at, actor, actor_roles, action, "
                     + "patient_id, resource_type, resource_id, request_id, channel, details) values (?,?,?,?,?,?,?,?,?,?)")) {
            st.setTimestamp(1, Timestamp.from(Instant.now()));
            st.setString(2, actor);
            st.setString(3, "cds-client");
            st.setString(4, action);
            st.setString(5, patientId);
            st.setString(6, resourceType);
            st.setString(7, resourceId);
            st.setString(8, requestId.value());
            st.setString(9, "cds-hooks");
            st.setString(10, details == null || details.isEmpty() ? null : json.writeValueAsString(details));
            st.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot write audit entry for " + action, e);
        }
    }
}
