// UK Open Banking amounts are decimal strings ("165.88"). They become minor units by string
// arithmetic only: never through a JavaScript number.
import { HttpProblem } from '@finrail/server';

const MINOR_DIGITS = 2;

export function toMinor(amount: string, pointer: string): bigint {
  const match = /^(\d{1,13})(?:\.(\d{1,5}))?$/.exec(amount);
  const fraction = match?.[2] ?? '';
  if (!match || /[1-9]/.test(fraction.slice(MINOR_DIGITS))) {
    throw new HttpProblem(400, 'invalid-request', { detail: `${amount} is not an amount in pence`, errors: [{ pointer, detail: 'at most 2 significant decimals', code: 'pattern' }] });
  }
  return BigInt(match[1]!) * 10n ** BigInt(MINOR_DIGITS) + BigInt(fraction.slice(0, MINOR_DIGITS).padEnd(MINOR_DIGITS, '0'));
}

export function fromMinor(minor: bigint): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(MINOR_DIGITS + 1, '0');
  return `${digits.slice(0, -MINOR_DIGITS)}.${digits.slice(-MINOR_DIGITS)}`;
}
