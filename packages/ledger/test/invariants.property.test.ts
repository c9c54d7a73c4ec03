// Random command sequences run against the real ledger and the pure model side by side. After
// every step the outcome must match the model and every invariant must hold; at the end of each
// sequence a full audit re-derives everything from the journal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEntry, type JournalFold } from '../src/core/audit.ts';
import { balanceOf } from '../src/core/balances.ts';
import { ManualClock } from '../src/core/clock.ts';
import { GENESIS_HASH, entryHash } from '../src/core/hash-chain.ts';
import type { Entry } from '../src/core/types.ts';
import type { Ledger } from '../src/ledger.ts';
import { LedgerModel } from './support/model.ts';
import { testSeed } from './support/seed.ts';
import { openTestLedger, storageTargets } from './support/storages.ts';
import type { ModelCommand, ModelOutcome } from './support/model.ts';
import { CHART, CommandPlanner, execute, executeBatch, opArbitrary, type Op } from './support/workload.ts';

// Sequences of up to `maxLength` ops (short ones shrink well), in rounds of `runs` sequences until
// `minOps` operations have run: at least 10,000 per test run on SQLite, a smaller sample of the same
// workload on PostgreSQL.
const BUDGET = { sqlite: { runs: 20, maxLength: 600, minOps: 10_000 }, postgres: { runs: 3, maxLength: 100, minOps: 200 } } as const;

class StepChecker {
  readonly fold: JournalFold = { balances: new Map(), pending: new Map(), netByCurrency: new Map() };
  readonly hashes = new Map<string, string>();
  head = GENESIS_HASH;
  seq = 0;

  /** Checks the entries a command returned: new ones must extend the chain, replays must be the originals. */
  accept(entries: Entry[], replay: boolean): void {
    for (const entry of entries) {
      const known = this.hashes.get(entry.id);
      if (known !== undefined) {
        expect(replay, `entry ${entry.id} returned twice`).toBe(true);
        expect(entry.hash).toBe(known);
        continue;
      }
      expect(entry.seq).toBe(this.seq + 1);
      expect(entry.prevHash).toBe(this.head);
      expect(entryHash(entry.prevHash, entry)).toBe(entry.hash);
      this.seq = entry.seq;
      this.head = entry.hash;
      this.hashes.set(entry.id, entry.hash);
      foldEntry(this.fold, entry);
    }
  }
}

async function checkStep(ledger: Ledger, model: LedgerModel, checker: StepChecker): Promise<void> {
  for (const [currency, net] of checker.fold.netByCurrency) expect(net, `${currency} nets to zero`).toBe(0n);
  for (const currency of ['EUR', 'USD']) expect(model.net(currency)).toBe(0n);
  for (const account of await ledger.store.listAccounts()) {
    const expected = model.accounts.get(account.id)!;
    const folded = checker.fold.balances.get(account.id);
    const columns = { debitsPending: account.debitsPending, creditsPending: account.creditsPending, debitsPosted: account.debitsPosted, creditsPosted: account.creditsPosted };
    expect(columns, `${account.id} matches the model`).toEqual({
      debitsPending: expected.debitsPending,
      creditsPending: expected.creditsPending,
      debitsPosted: expected.debitsPosted,
      creditsPosted: expected.creditsPosted,
    });
    expect(columns, `${account.id} equals the fold of the journal`).toEqual(folded ?? { debitsPending: 0n, creditsPending: 0n, debitsPosted: 0n, creditsPosted: 0n });
    if (account.flags.debitsMustNotExceedCredits) expect(balanceOf(account).available >= 0n, `${account.id} is not overdrawn`).toBe(true);
  }
  for (const [id, pending] of checker.fold.pending) expect(pending.resolutions.length, `${id} resolves at most once`).toBeLessThanOrEqual(1);
}

/**
 * With `batched`, each run of consecutive transfers (retries and conflicting twins included) goes
 * through one transferBatch() instead of one transfer() each: every item must come out as the
 * model says it would one after the other.
 */
async function runSequence(target: 'sqlite' | 'postgres', ops: Op[], batched: boolean, count: () => void): Promise<void> {
  const clock = new ManualClock();
  const ledger = await openTestLedger(target, { clock });
  try {
    const model = new LedgerModel();
    for (const account of CHART) {
      await ledger.createAccount(account);
      model.addAccount({
        id: account.id,
        currency: account.currency,
        normal: account.normalBalance,
        noOverdraft: account.flags?.debitsMustNotExceedCredits ?? false,
        noOvercredit: account.flags?.creditsMustNotExceedDebits ?? false,
      });
    }
    const planner = new CommandPlanner();
    const checker = new StepChecker();
    const show = (command: ModelCommand) => JSON.stringify(command, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    // Transfers waiting to go as one batch, with the outcomes the model gave them in turn.
    let batch: Array<{ command: Extract<ModelCommand, { type: 'transfer' }>; expected: ModelOutcome }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const executions = await executeBatch(ledger, batch.map((item) => item.command));
      for (const [i, { command, expected }] of batch.entries()) {
        expect(executions[i]!.outcome, `${show(command)} (item ${i} of a batch of ${batch.length})`).toEqual(expected);
        checker.accept(executions[i]!.entries, checker.hashes.has(command.id));
      }
      batch = [];
      await checkStep(ledger, model, checker);
    };
    for (const op of ops) {
      count();
      const planned = planner.plan(op, clock.now());
      if (!('command' in planned)) {
        await flush();
        clock.advance(planned.advance);
        continue;
      }
      const { command } = planned;
      if (batched && command.type === 'transfer') {
        const expected = model.apply(command, clock.now());
        // Later commands may refer to this one before the batch runs: record what the model says.
        planner.record(command, expected);
        batch.push({ command, expected });
        continue;
      }
      await flush();
      const expected = model.apply(command, clock.now());
      const isRetry = 'id' in command && checker.hashes.has(command.id);
      const actual = await execute(ledger, command);
      expect(actual.outcome, show(command)).toEqual(expected);
      planner.record(command, actual.outcome);
      checker.accept(actual.entries, isRetry);
      await checkStep(ledger, model, checker);
    }
    await flush();
    for (const pending of await ledger.store.listPending()) {
      const expected = model.pending.get(pending.id)!;
      expect({ status: pending.status, posted: pending.postedAmount }).toEqual({ status: expected.status, posted: expected.posted });
    }
    expect(await ledger.audit()).toEqual([]);
  } finally {
    await ledger.close();
  }
}

describe.each(storageTargets)('ledger invariants under random commands on $name', ({ name, skip }) => {
  it.skipIf(skip)('matches the model and keeps every invariant after every step', async () => {
    const seed = testSeed(`invariants/${name}`);
    const { runs, maxLength, minOps } = BUDGET[name];
    let operations = 0;
    for (let round = 0; operations < minOps; round++) {
      await fc.assert(
        fc.asyncProperty(fc.array(opArbitrary, { maxLength, size: 'max' }), fc.boolean(), (ops, batched) => runSequence(name, ops, batched, () => operations++)),
        { seed: seed + round, numRuns: runs },
      );
    }
    console.log(`[invariants/${name}] ${operations} operations checked`);
  }, 180_000);
});
