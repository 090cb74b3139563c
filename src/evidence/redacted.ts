/** What a redacted value is replaced with, everywhere. */
export const REDACTED = '[REDACTED]';
