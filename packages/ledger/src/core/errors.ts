// Business rejections. They are expected outcomes (not bugs), each with a stable code the API
// layer maps to a problem type.

export type LedgerErrorCode =
  | 'invalid_request'
  | 'account_not_found'
  | 'account_exists_with_different_fields'
  | 'account_not_open'
  | 'account_closed'
  | 'account_not_empty'
  | 'entry_exists_with_different_fields'
  | 'entry_not_found'
  | 'same_account'
  | 'currency_mismatch'
  | 'insufficient_funds'
  | 'credit_limit_exceeded'
  | 'overflow'
  | 'pending_not_found'
  | 'pending_already_resolved'
  | 'pending_expired'
  | 'amount_exceeds_pending'
  | 'not_reversible'
  | 'reversal_exceeds_original';

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: LedgerErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
    this.details = details;
  }
}

export function isLedgerError(error: unknown): error is LedgerError {
  return error instanceof LedgerError;
}
