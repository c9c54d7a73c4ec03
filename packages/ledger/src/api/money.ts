// The specs' Money ({ amount: integer minor units, currency }) to and from the ledger's BigInt.
import { HttpProblem } from '@finrail/server';
import { toMinorUnits, toSafeNumber } from '../core/money.ts';

export interface Money {
  amount: number;
  currency: string;
}

export function money(amount: bigint, currency: string): Money {
  return { amount: toSafeNumber(amount), currency };
}

/** A request's Money as minor units; schema validation already bounded it to 0..2^53-1. */
export function minorUnits(value: Money, pointer: string): bigint {
  const amount = toMinorUnits(value.amount);
  if (amount === undefined || amount === 0n) {
    throw new HttpProblem(400, 'invalid-request', { detail: 'amount must be a positive integer of minor units', errors: [{ pointer, detail: 'must be positive', code: 'minimum' }] });
  }
  return amount;
}

// A request stamps everything it writes with one instant (its transaction's `now`): a transfer
// formats it five times, and toISOString() is not cheap, so the last instant's text is kept.
let lastTime = { milliseconds: Number.NaN, iso: '' };

export function isoTime(milliseconds: number): string {
  if (milliseconds !== lastTime.milliseconds) lastTime = { milliseconds, iso: new Date(milliseconds).toISOString() };
  return lastTime.iso;
}
