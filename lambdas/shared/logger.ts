import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Structured JSON to CloudWatch. Never pass event bodies, alert details or message texts:
 * breach payloads carry personal data. Log ids, counts, outcomes and error names.
 */
export const logger = new Logger({ serviceName: 'breachclock' });
