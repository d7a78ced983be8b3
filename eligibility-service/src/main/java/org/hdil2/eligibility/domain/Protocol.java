package org.hdil2.eligibility.domain;

import java.util.List;

/** A versioned set of screening rules, such as the label's ({@code label-2024}). */
public record Protocol(String id, String version, String title, String source, List<RuleDefinition> rules) {
}
