// Money is always an integer number of minor units held in a BigInt. Nothing on a money path
// ever becomes a JavaScript number, so no amount can be rounded.

/** The largest value a SQLite INTEGER or PostgreSQL BIGINT holds; balances never exceed it. */
export const MAX_MINOR_UNITS = 2n ** 63n - 1n;

const CURRENCY = /^[A-Z]{3}$/;
const DIGITS = /^(0|[1-9][0-9]*)$/;

export function isCurrency(value: string): boolean {
  return CURRENCY.test(value);
}

/**
 * Converts an amount received from the outside (a JSON integer, a digit string or a BigInt) to
 * minor units. Fractions, exponents, negative numbers and unsafe integers are refused rather
 * than rounded.
 */
export function toMinorUnits(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n && value <= MAX_MINOR_UNITS ? value : undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === 'string' && DIGITS.test(value)) {
    const parsed = BigInt(value);
    return parsed <= MAX_MINOR_UNITS ? parsed : undefined;
  }
  return undefined;
}

/** Minor units to a JSON number for API responses; refuses values JSON cannot carry exactly. */
export function toSafeNumber(amount: bigint): number {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${amount} is outside the range a JSON number carries exactly`);
  }
  return Number(amount);
}
