package org.hdil2.kit.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Records every state change (who, when, action, patient, resource, request) in the service's own database, in the
 * same transaction as the change: an audited change and its audit entry commit or roll back together.
 */
@ApplicationScoped
public class AuditTrail {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SecurityIdentity identity;

    @Inject
    RequestId requestId;

    @Inject
    ObjectMapper json;

    /** A change made by an authenticated HTTP caller. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void byCaller(String action, String patientId, String resourceType, String resourceId, Map<String, ?> details) {
        String actor = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        String roles = String.join(",", new TreeSet<>(identity.getRoles()));
        insert(actor, roles, action, patientId, resourceType, resourceId, requestId.value(), "http", details);
    }

    /**
     * A change made over HTTP by a caller that another mechanism than the service's OIDC verified (a CDS Client's
     * JWT, for example): the actor and role are what that mechanism established.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void byVerifiedClient(String actor, String role, String channel, String action, String patientId,
                                 String resourceType, String resourceId, Map<String, ?> details) {
        insert(actor, role, action, patientId, resourceType, resourceId, requestId.value(), channel, details);
    }

    /** A change caused by a consumed event: the actor is the consumer, the request id the event id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void byEvent(String consumer, String eventId, String action, String patientId, String resourceType,
                        String resourceId, Map<String, ?> details) {
        insert("system:" + consumer, "", action, patientId, resourceType, resourceId, eventId, "kafka", details);
    }

    private void insert(String actor, String roles, String action, String patientId, String resourceType,
                        String resourceId, String request, String channel, Map<String, ?> details) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("insert into audit_entry (occurred_at, actor, actor_roles, action, "
                     + "patient_id, resource_type, resource_id, request_id, channel, details) values (?,?,?,?,?,?,?,?,?,?)")) {
            st.setTimestamp(1, Timestamp.from(Instant.now()));
            st.setString(2, actor);
            st.setString(3, roles);
            st.setString(4, action);
            st.setString(5, patientId);
            st.setString(6, resourceType);
            st.setString(7, resourceId);
            st.setString(8, request);
            st.setString(9, channel);
            st.setString(10, details == null || details.isEmpty() ? null : json.writeValueAsString(details));
            st.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot write audit entry for " + action, e);
        }
    }
}
