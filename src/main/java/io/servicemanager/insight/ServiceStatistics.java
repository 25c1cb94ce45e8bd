package io.servicemanager.insight;

import io.servicemanager.insight.FailurePatterns.Burst;
import io.servicemanager.insight.FailurePatterns.EarlyCrash;
import io.servicemanager.insight.FailurePatterns.Pattern;
import java.time.Instant;
import java.util.List;

/** Everything insight knows about one service over a window [from, to). */
public record ServiceStatistics(String service, Instant from, Instant to, Uptime.Figures uptime,
    List<Pattern> patterns, Burst worstBurst, List<EarlyCrash> earlyCrashes, OperationFigures operations) {}
