package org.hdil2.dosing.domain;

import java.util.List;

/**
 * The pre-dose decision a ledger entry is made on: its outcome and reasons, whether an override lifted a hold, the
 * findings it cites, and the whole decision as recorded on the entry (JSON, written by the application layer).
 */
public record DecisionTaken(Decision decision, List<String> reasons, boolean overridden, List<String> findingIds, String recorded) {
}
