// Random command sequences over a small chart of accounts, shared by the property tests and the
// SQLite-vs-PostgreSQL comparison. Commands refer to earlier ones by index, so fast-check can
// shrink a failing sequence and the references still resolve.
import fc from 'fast-check';
import type { CreateAccountInput, TransferInput } from '../../src/core/commands.ts';
import { isLedgerError } from '../../src/core/errors.ts';
import type { Entry } from '../../src/core/types.ts';
import type { Ledger } from '../../src/ledger.ts';
import type { ModelCommand, ModelOutcome } from './model.ts';

export const CHART: CreateAccountInput[] = [
  { id: 'bank.eur', currency: 'EUR', normalBalance: 'debit' },
  { id: 'reserve.eur', currency: 'EUR', normalBalance: 'debit', flags: { creditsMustNotExceedDebits: true } },
  { id: 'wallet.a', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } },
  { id: 'wallet.b', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } },
  { id: 'wallet.c', currency: 'EUR', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } },
  { id: 'bank.usd', currency: 'USD', normalBalance: 'debit' },
  { id: 'wallet.usd', currency: 'USD', normalBalance: 'credit', flags: { debitsMustNotExceedCredits: true } },
];

export type Op =
  | { type: 'transfer'; debit: number; credit: number; amount: bigint; otherCurrency: boolean; pending: boolean; expiresIn: number | null }
  | { type: 'post'; ref: number; amount: bigint | null; final: boolean }
  | { type: 'void'; ref: number }
  | { type: 'reverse'; ref: number; amount: bigint | null }
  | { type: 'retry'; ref: number }
  | { type: 'conflict'; ref: number }
  | { type: 'status'; account: number; open: boolean }
  | { type: 'advance'; ms: number }
  | { type: 'expire' };

const index = fc.nat({ max: 1_000 });
const amount = fc.oneof({ weight: 9, arbitrary: fc.bigInt(1n, 5_000n) }, { weight: 1, arbitrary: fc.bigInt(5_001n, 1_000_000n) });

export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 40,
    arbitrary: fc.record({
      type: fc.constant('transfer' as const),
      // Banks (indexes 0 and 5) fund the wallets often enough for most transfers to succeed.
      debit: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(0, 5) }, { weight: 3, arbitrary: index }),
      credit: index,
      amount,
      otherCurrency: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
      pending: fc.boolean(),
      expiresIn: fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: null }),
    }),
  },
  { weight: 10, arbitrary: fc.record({ type: fc.constant('post' as const), ref: index, amount: fc.option(amount, { nil: null }), final: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('void' as const), ref: index }) },
  { weight: 8, arbitrary: fc.record({ type: fc.constant('reverse' as const), ref: index, amount: fc.option(amount, { nil: null }) }) },
  { weight: 8, arbitrary: fc.record({ type: fc.constant('retry' as const), ref: index }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('conflict' as const), ref: index }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('status' as const), account: index, open: fc.integer({ min: 0, max: 3 }).map((n) => n > 0) }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 30_000 }) }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('expire' as const) }) },
);

/** Turns generated ops into concrete commands, resolving references against what ran before. */
export class CommandPlanner {
  readonly #submitted: ModelCommand[] = [];
  readonly #pendingIds: string[] = [];
  readonly #entryIds: string[] = [];
  #next = 0;

  plan(op: Op, now: number): { command: ModelCommand; advance?: number } | { advance: number } {
    const id = () => `e${++this.#next}`;
    // Mostly one of the last few (still unresolved, likely), sometimes any earlier one.
    const pick = <T>(list: T[], ref: number): T | undefined =>
      list.length === 0 ? undefined : ref < 700 ? list[list.length - 1 - (ref % Math.min(3, list.length))] : list[ref % list.length];
    switch (op.type) {
      case 'transfer': {
        const debit = CHART[op.debit % CHART.length]!;
        // Mostly an account of the same currency; now and then the same account or another currency.
        const sameCurrency = CHART.filter((a) => a.currency === debit.currency && a.id !== debit.id);
        const otherCurrency = CHART.filter((a) => a.currency !== debit.currency);
        const credit =
          op.credit % 25 === 0 ? debit : op.credit % 25 === 1 ? otherCurrency[op.credit % otherCurrency.length]! : sameCurrency[op.credit % sameCurrency.length]!;
        const currency = op.otherCurrency ? (debit.currency === 'EUR' ? 'USD' : 'EUR') : debit.currency;
        const expiresAt = op.pending && op.expiresIn !== null ? now + op.expiresIn : null;
        return { command: { type: 'transfer', id: id(), debit: debit.id, credit: credit.id, amount: op.amount, currency, pending: op.pending, expiresAt } };
      }
      case 'post':
        return { command: { type: 'post', id: id(), pendingId: pick(this.#pendingIds, op.ref) ?? 'missing', amount: op.amount ?? undefined, final: op.final } };
      case 'void':
        return { command: { type: 'void', id: id(), pendingId: pick(this.#pendingIds, op.ref) ?? 'missing' } };
      case 'reverse':
        return { command: { type: 'reverse', id: id(), entryId: pick(this.#entryIds, op.ref) ?? 'missing', amount: op.amount ?? undefined } };
      case 'retry': {
        const previous = pick(this.#submitted, op.ref);
        return previous ? { command: previous } : { advance: 0 };
      }
      case 'conflict': {
        const previous = pick(this.#submitted.filter((c) => c.type === 'transfer'), op.ref);
        if (!previous || previous.type !== 'transfer') return { advance: 0 };
        return { command: { ...previous, amount: previous.amount + 1n } };
      }
      case 'status':
        return { command: { type: 'status', accountId: CHART[op.account % CHART.length]!.id, open: op.open } };
      case 'advance':
        return { advance: op.ms };
      case 'expire':
        return { command: { type: 'expire' } };
    }
  }

  /** Records a command that ran, so later ops can refer to it. */
  record(command: ModelCommand, outcome: ModelOutcome): void {
    if (!('id' in command)) return;
    if (!this.#submitted.includes(command)) this.#submitted.push(command);
    if (!outcome.ok) return;
    if (!this.#entryIds.includes(command.id)) this.#entryIds.push(command.id);
    if (command.type === 'transfer' && command.pending && !this.#pendingIds.includes(command.id)) this.#pendingIds.push(command.id);
  }
}

export interface Execution {
  outcome: ModelOutcome;
  /** Entries the command returned (none for status changes; the expiries for an expire sweep). */
  entries: Entry[];
}

/** Runs a model command against a real ledger. */
export async function execute(ledger: Ledger, command: ModelCommand): Promise<Execution> {
  try {
    switch (command.type) {
      case 'transfer':
        return done([await ledger.transfer(transferInput(command))]);
      case 'post':
        return done([await ledger.postPending({ id: command.id, pendingId: command.pendingId, amount: command.amount, final: command.final })]);
      case 'void':
        return done([await ledger.voidPending({ id: command.id, pendingId: command.pendingId })]);
      case 'reverse':
        return done([await ledger.reverse({ id: command.id, entryId: command.entryId, amount: command.amount })]);
      case 'status':
        await ledger.setAccountStatus(command.accountId, command.open ? 'open' : 'frozen');
        return done([]);
      case 'expire':
        return done(await ledger.expireDue());
    }
  } catch (error) {
    if (isLedgerError(error)) return { outcome: { ok: false, code: error.code }, entries: [] };
    throw error;
  }
}

type TransferCommand = Extract<ModelCommand, { type: 'transfer' }>;

function transferInput(command: TransferCommand): TransferInput {
  return {
    id: command.id,
    debitAccountId: command.debit,
    creditAccountId: command.credit,
    amount: command.amount,
    currency: command.currency,
    ...(command.pending ? { pending: { expiresAt: command.expiresAt } } : {}),
  };
}

/** Runs transfer commands as one transferBatch(): one execution per command, in order. */
export async function executeBatch(ledger: Ledger, commands: readonly TransferCommand[]): Promise<Execution[]> {
  const results = await ledger.transferBatch(commands.map(transferInput));
  return results.map((result) => (result.ok ? done([result.entry]) : { outcome: { ok: false, code: result.error.code }, entries: [] }));
}

function done(entries: Entry[]): Execution {
  return { outcome: { ok: true }, entries };
}
