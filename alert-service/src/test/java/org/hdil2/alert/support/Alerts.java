package org.hdil2.alert.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.hdil2.testinfra.TestDb;
import org.hdil2.testinfra.TestTokens;

import io.restassured.path.json.JsonPath;

/** REST and database reads the alert tests share. */
public final class Alerts {

    public static final Duration WAIT = Duration.ofSeconds(60);

    private Alerts() {
    }

    public static String nurse() {
        return TestTokens.bearer("nurse");
    }

    /** The patient's alerts (newest first) as JSON. */
    public static JsonPath of(String patient) {
        return given().header("Authorization", nurse()).get("/api/v1/alerts?patientId=" + patient).then().statusCode(200)
                .extract().jsonPath();
    }

    /** Waits until the patient's alerts satisfy {@code wanted} and returns them. */
    public static List<Map<String, Object>> awaitAlerts(String patient, Predicate<List<Map<String, Object>>> wanted) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> wanted.test(of(patient).getList("$")));
        return of(patient).getList("$");
    }

    /** Waits for exactly one alert in {@code status} for the patient and returns its id. */
    public static String awaitOne(String patient, String status) {
        return (String) awaitAlerts(patient, l -> l.size() == 1 && status.equals(l.get(0).get("status"))).get(0).get("id");
    }

    public static JsonPath get(String alertId) {
        return given().header("Authorization", nurse()).get("/api/v1/alerts/" + alertId).then().statusCode(200).extract().jsonPath();
    }

    public static long count(DataSource db, String sql) {
        return TestDb.count(db, sql);
    }

    public static long notifications(DataSource db, String patient) {
        return TestDb.count(db, "select count(*) from alert_notification where patient_id = '" + patient + "'");
    }

    /** Waits until the patient's inbox has taken {@code n} finding events (a marker that later events were processed). */
    public static void awaitProcessed(DataSource db, String eventId) {
        await().atMost(WAIT).until(() -> TestDb.count(db, "select count(*) from inbox_event where event_id = '" + eventId + "'") == 1);
    }
}
