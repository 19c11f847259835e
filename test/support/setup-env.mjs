// Tests assert behaviour, not log lines: keep the structured logger quiet unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// Metrics are asserted through the instance (addMetric), not by reading EMF from stdout.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
