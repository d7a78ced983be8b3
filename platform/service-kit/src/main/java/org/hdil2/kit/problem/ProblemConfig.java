package org.hdil2.kit.problem;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "hdil2.problem")
public interface ProblemConfig {

    /** The service's error-code prefix: ELIG, DOSE, MON or ALRT. */
    String codePrefix();
}
