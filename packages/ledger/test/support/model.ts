// A pure, in-memory model of what the ledger must do (TigerBeetle's auditor idea): written
// independently of src/core, as plain arithmetic on four numbers per account. The property tests
// run the same commands through both and demand the same outcome, step by step.

export interface ModelAccount {
  id: string;
  currency: string;
  normal: 'debit' | 'credit';
  noOverdraft: boolean;
  noOvercredit: boolean;
  open: boolean;
  debitsPending: bigint;
  creditsPending: bigint;
  debitsPosted: bigint;
  creditsPosted: bigint;
}

interface ModelPending {
  debit: string;
  credit: string;
  currency: string;
  amount: bigint;
  posted: bigint;
  status: 'pending' | 'posted' | 'voided' | 'expired';
  expiresAt: number | null;
}

interface ModelMovement {
  debit: string;
  credit: string;
  amount: bigint;
  reversed: bigint;
}

export type ModelCommand =
  | { type: 'transfer'; id: string; debit: string; credit: string; amount: bigint; currency: string; pending: boolean; expiresAt: number | null }
  | { type: 'post'; id: string; pendingId: string; amount: bigint | undefined; final: boolean }
  | { type: 'void'; id: string; pendingId: string }
  | { type: 'reverse'; id: string; entryId: string; amount: bigint | undefined }
  | { type: 'status'; accountId: string; open: boolean }
  | { type: 'expire' };

export type ModelOutcome = { ok: true } | { ok: false; code: string };

const ok: ModelOutcome = { ok: true };
const fail = (code: string): ModelOutcome => ({ ok: false, code });

export class LedgerModel {
  readonly accounts = new Map<string, ModelAccount>();
  readonly pending = new Map<string, ModelPending>();
  /** Entry id to the command that created it, to recognise retries. */
  readonly #requests = new Map<string, string>();
  /** Entries that moved posted money (transfers and posts), for reversals. */
  readonly #movements = new Map<string, ModelMovement>();

  addAccount(account: Omit<ModelAccount, 'open' | 'debitsPending' | 'creditsPending' | 'debitsPosted' | 'creditsPosted'>): void {
    this.accounts.set(account.id, { ...account, open: true, debitsPending: 0n, creditsPending: 0n, debitsPosted: 0n, creditsPosted: 0n });
  }

  apply(command: ModelCommand, now: number): ModelOutcome {
    switch (command.type) {
      case 'transfer':
        return this.#transfer(command, now);
      case 'post':
        return this.#post(command, now);
      case 'void':
        return this.#void(command, now);
      case 'reverse':
        return this.#reverse(command);
      case 'status': {
        const account = this.accounts.get(command.accountId)!;
        account.open = command.open;
        return ok;
      }
      case 'expire':
        for (const pending of this.pending.values()) {
          if (pending.status === 'pending' && pending.expiresAt !== null && pending.expiresAt <= now) {
            this.#release(pending, pending.amount - pending.posted);
            pending.status = 'expired';
          }
        }
        return ok;
    }
  }

  /** How many of a currency exist net (debits minus credits, posted and pending): always zero. */
  net(currency: string): bigint {
    let sum = 0n;
    for (const a of this.accounts.values()) if (a.currency === currency) sum += a.debitsPosted + a.debitsPending - a.creditsPosted - a.creditsPending;
    return sum;
  }

  #transfer(c: Extract<ModelCommand, { type: 'transfer' }>, now: number): ModelOutcome {
    if (c.debit === c.credit) return fail('same_account');
    const key = JSON.stringify([c.type, c.debit, c.credit, String(c.amount), c.currency, c.pending, c.expiresAt]);
    const replay = this.#replay(c.id, key);
    if (replay) return replay;
    if (c.expiresAt !== null && c.expiresAt <= now) return fail('invalid_request');
    const debit = this.accounts.get(c.debit);
    const credit = this.accounts.get(c.credit);
    if (!debit || !credit) return fail('account_not_found');
    if (!debit.open || !credit.open) return fail('account_not_open');
    if (debit.currency !== c.currency || credit.currency !== c.currency) return fail('currency_mismatch');
    const layer = c.pending ? 'Pending' : 'Posted';
    const limit = this.#limitBreached(debit, credit, c.amount, layer);
    if (limit) return fail(limit);
    debit[`debits${layer}`] += c.amount;
    credit[`credits${layer}`] += c.amount;
    this.#requests.set(c.id, key);
    if (c.pending) this.pending.set(c.id, { debit: c.debit, credit: c.credit, currency: c.currency, amount: c.amount, posted: 0n, status: 'pending', expiresAt: c.expiresAt });
    else this.#movements.set(c.id, { debit: c.debit, credit: c.credit, amount: c.amount, reversed: 0n });
    return ok;
  }

  #post(c: Extract<ModelCommand, { type: 'post' }>, now: number): ModelOutcome {
    const key = JSON.stringify([c.type, c.pendingId, c.amount === undefined ? null : String(c.amount), c.final]);
    const replay = this.#replay(c.id, key);
    if (replay) return replay;
    const pending = this.pending.get(c.pendingId);
    if (!pending) return fail('pending_not_found');
    const unresolved = this.#unresolved(pending, now);
    if (unresolved) return unresolved;
    if (!this.accounts.get(pending.debit)!.open || !this.accounts.get(pending.credit)!.open) return fail('account_not_open');
    const held = pending.amount - pending.posted;
    const amount = c.amount ?? held;
    if (amount > held) return fail('amount_exceeds_pending');
    const final = c.final || amount === held;
    this.#release(pending, final ? held : amount);
    this.accounts.get(pending.debit)!.debitsPosted += amount;
    this.accounts.get(pending.credit)!.creditsPosted += amount;
    pending.posted += amount;
    if (final) pending.status = 'posted';
    this.#requests.set(c.id, key);
    this.#movements.set(c.id, { debit: pending.debit, credit: pending.credit, amount, reversed: 0n });
    return ok;
  }

  #void(c: Extract<ModelCommand, { type: 'void' }>, now: number): ModelOutcome {
    const key = JSON.stringify([c.type, c.pendingId]);
    const replay = this.#replay(c.id, key);
    if (replay) return replay;
    const pending = this.pending.get(c.pendingId);
    if (!pending) return fail('pending_not_found');
    const unresolved = this.#unresolved(pending, now);
    if (unresolved) return unresolved;
    this.#release(pending, pending.amount - pending.posted);
    pending.status = 'voided';
    this.#requests.set(c.id, key);
    return ok;
  }

  #reverse(c: Extract<ModelCommand, { type: 'reverse' }>): ModelOutcome {
    const key = JSON.stringify([c.type, c.entryId, c.amount === undefined ? null : String(c.amount)]);
    const replay = this.#replay(c.id, key);
    if (replay) return replay;
    if (!this.#requests.has(c.entryId)) return fail('entry_not_found');
    const movement = this.#movements.get(c.entryId);
    if (!movement) return fail('not_reversible');
    const remaining = movement.amount - movement.reversed;
    const amount = c.amount ?? remaining;
    if (amount <= 0n || amount > remaining) return fail('reversal_exceeds_original');
    // The reversal debits the original credit account and credits the original debit account.
    const debit = this.accounts.get(movement.credit)!;
    const credit = this.accounts.get(movement.debit)!;
    const limit = this.#limitBreached(debit, credit, amount, 'Posted');
    if (limit) return fail(limit);
    debit.debitsPosted += amount;
    credit.creditsPosted += amount;
    movement.reversed += amount;
    this.#requests.set(c.id, key);
    return ok;
  }

  #replay(id: string, key: string): ModelOutcome | undefined {
    const existing = this.#requests.get(id);
    if (existing === undefined) return undefined;
    return existing === key ? ok : fail('entry_exists_with_different_fields');
  }

  #unresolved(pending: ModelPending, now: number): ModelOutcome | undefined {
    if (pending.status !== 'pending') return fail('pending_already_resolved');
    if (pending.expiresAt !== null && pending.expiresAt <= now) return fail('pending_expired');
    return undefined;
  }

  #release(pending: ModelPending, amount: bigint): void {
    this.accounts.get(pending.debit)!.debitsPending -= amount;
    this.accounts.get(pending.credit)!.creditsPending -= amount;
  }

  #limitBreached(debit: ModelAccount, credit: ModelAccount, amount: bigint, layer: 'Pending' | 'Posted'): string | undefined {
    const debitsAfter = debit.debitsPending + debit.debitsPosted + amount;
    if (debit.noOverdraft && debitsAfter > debit.creditsPosted) return 'insufficient_funds';
    if (debit.noOvercredit && debit.creditsPending + debit.creditsPosted > debit.debitsPosted + (layer === 'Posted' ? amount : 0n)) return 'credit_limit_exceeded';
    const creditsAfter = credit.creditsPending + credit.creditsPosted + amount;
    if (credit.noOvercredit && creditsAfter > credit.debitsPosted) return 'credit_limit_exceeded';
    if (credit.noOverdraft && credit.debitsPending + credit.debitsPosted > credit.creditsPosted + (layer === 'Posted' ? amount : 0n)) return 'insufficient_funds';
    return undefined;
  }
}
