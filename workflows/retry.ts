/**
 * How the workflows retry their activities, written once. Mail is retried with backoff for as long
 * as each caller's schedule-to-close allows: a relay down, a refused login (SmtpAuthFailure) or a
 * deferral (4xx) heals on its own or once IT fixes a setting; a recipient refused for good (5xx) is
 * not retryable and comes back at once. Reading the plan from visibility gives up after ten tries,
 * so a digest or a cut that cannot be built fails where OAPLA sees it.
 */
import type { RetryPolicy } from '@temporalio/common';

export const MAIL_RETRY: RetryPolicy = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' };

export const READ_RETRY: RetryPolicy = { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 };
