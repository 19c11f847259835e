// Tests assert behaviour, not log lines: keep the structured logger quiet unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
