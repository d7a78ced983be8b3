package org.hdil2.monitoring.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

@ConfigMapping(prefix = "hdil2.monitoring")
public interface MonitoringConfig {

    /** The default protocol: a patient without a course protocol is evaluated under it ({@code protocols/<id>.json}). */
    String protocol();

    /**
     * A directory with the institution's own protocols ({@code <id>.json}) and rule sets ({@code rulesets/<name>.json});
     * a file there wins over the shipped one of the same name.
     */
    Optional<String> protocolDir();

    /** How often every patient is re-evaluated because time passed (duration rules, inputs going stale). */
    @WithDefault("PT30S")
    Duration punctuateInterval();

    /** How long a newer input that changed no rule may wait before the evaluation is published with it. */
    @WithDefault("PT5M")
    Duration snapshotRefresh();

    /**
     * How often each evaluation task writes a checkpoint (alive, and which patients' evaluations include newer
     * observations): consumers that see none for a while treat the evaluation as not current.
     */
    @WithDefault("PT2S")
    Duration checkpointInterval();

    /**
     * How the evaluation writes each patient's state to its store: {@code json} (every version reads it) or
     * {@code binary} (its blocks are copied where they did not change: the topology drains about 1.5 times as fast,
     * bench/side-by-side.sh; read by this version and later, which also read the first binary format). Both are read. Keep {@code json} while a replica of a version before this one may still run (a rolling upgrade
     * from it): such a replica cannot read a binary state, starts the patient afresh and reports the patient failing.
     */
    @WithDefault("json")
    StateFormat stateFormat();

    enum StateFormat {
        JSON,
        BINARY
    }

    /** A task that has written no checkpoint for this long is stuck: liveness and readiness go DOWN. */
    @WithDefault("PT60S")
    Duration stallAfter();

    /** A patient's history a back-test replays at most (a monitor at one reading a second fills 100,000 in about a day). */
    @WithName("backtest.max-observations-per-patient")
    @WithDefault("100000")
    int backtestMaxObservationsPerPatient();
}
