// Ledger rejections as the specs' RFC 9457 problems.
import { HttpProblem } from '@finrail/server';
import { isLedgerError, type LedgerErrorCode } from '../core/errors.ts';

const BY_CODE: Partial<Record<LedgerErrorCode, [status: number, type: string]>> = {
  invalid_request: [400, 'invalid-request'],
  insufficient_funds: [422, 'insufficient-funds'],
  credit_limit_exceeded: [422, 'insufficient-funds'],
  currency_mismatch: [422, 'currency-mismatch'],
  amount_exceeds_pending: [422, 'amount-too-large'],
  reversal_exceeds_original: [422, 'amount-too-large'],
  account_not_open: [409, 'invalid-state'],
  account_closed: [409, 'invalid-state'],
  account_not_empty: [409, 'invalid-state'],
  pending_already_resolved: [409, 'invalid-state'],
  pending_expired: [409, 'invalid-state'],
  not_reversible: [409, 'invalid-state'],
  entry_exists_with_different_fields: [422, 'idempotency-key-reused'],
  account_not_found: [404, 'not-found'],
  pending_not_found: [404, 'not-found'],
  entry_not_found: [404, 'not-found'],
};

/** Rethrows a ledger rejection as the problem the API documents for it. */
export function asProblem(error: unknown): never {
  if (isLedgerError(error)) {
    const [status, type] = BY_CODE[error.code] ?? [500, 'internal-error'];
    throw new HttpProblem(status, type, { detail: error.message });
  }
  throw error;
}

export function notFound(what: string, id: string): HttpProblem {
  return new HttpProblem(404, 'not-found', { detail: `no ${what} ${id}` });
}

export function invalidState(detail: string): HttpProblem {
  return new HttpProblem(409, 'invalid-state', { detail });
}

export function unknownResource(pointer: string, detail: string): HttpProblem {
  return new HttpProblem(422, 'unknown-resource', { detail, errors: [{ pointer, detail, code: 'unknown_resource' }] });
}
