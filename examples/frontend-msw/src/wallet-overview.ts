// The data behind a wallet screen: the wallet, its balance and its latest transactions, fetched
// in parallel and shaped for display. Framework-free; a React/Vue component would call it.

/** The fields of the Wallets API this screen reads. */
interface Money {
  amount: number;
  currency: string;
}
interface Wallet {
  id: string;
  display_name?: string | null;
  status: string;
}
interface Balance {
  available: Money;
  pending: Money;
}
interface Transaction {
  id: string;
  description?: string | null;
  direction: 'credit' | 'debit';
  amount: Money;
  created_at: string;
}
interface Page<T> {
  data: T[];
  has_more: boolean;
}

export interface WalletOverview {
  title: string;
  status: string;
  available: string;
  pending: string;
  recent: { id: string; label: string; amount: string; date: string }[];
  hasMore: boolean;
}

export type OverviewResult =
  | { ok: true; overview: WalletOverview }
  | { ok: false; error: 'not-found' | 'unauthorized' | 'unavailable'; detail: string };

export interface ApiConfig {
  /** e.g. https://api.finrail.dev/wallets/v1 */
  baseUrl: string;
  accessToken: string;
  fetch?: typeof fetch;
  locale?: string;
}

const RECENT_TRANSACTIONS = 5;

export async function loadWalletOverview(walletId: string, config: ApiConfig): Promise<OverviewResult> {
  const get = async <T>(path: string): Promise<T> => {
    const response = await (config.fetch ?? fetch)(`${config.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${config.accessToken}`, accept: 'application/json' },
    });
    if (!response.ok) throw new ApiFailure(response.status, await problemDetail(response));
    return (await response.json()) as T;
  };
  const id = encodeURIComponent(walletId);
  try {
    const [wallet, balance, transactions] = await Promise.all([
      get<Wallet>(`/wallets/${id}`),
      get<Balance>(`/wallets/${id}/balance`),
      get<Page<Transaction>>(`/wallets/${id}/transactions?limit=${RECENT_TRANSACTIONS}`),
    ]);
    const money = (value: Money, sign = ''): string => sign + formatMoney(value, config.locale);
    return {
      ok: true,
      overview: {
        title: wallet.display_name ?? wallet.id,
        status: wallet.status,
        available: money(balance.available),
        pending: money(balance.pending),
        recent: transactions.data.map((transaction) => ({
          id: transaction.id,
          label: transaction.description ?? 'Transaction',
          amount: money(transaction.amount, transaction.direction === 'debit' ? '−' : '+'),
          date: transaction.created_at.slice(0, 10),
        })),
        hasMore: transactions.has_more,
      },
    };
  } catch (error) {
    if (!(error instanceof ApiFailure)) return { ok: false, error: 'unavailable', detail: (error as Error).message };
    const kind = error.status === 404 ? 'not-found' : error.status === 401 || error.status === 403 ? 'unauthorized' : 'unavailable';
    return { ok: false, error: kind, detail: error.message };
  }
}

/** Minor units to a localized amount: { amount: 123456, currency: 'EUR' } → "€1,234.56". */
export function formatMoney(money: Money, locale = 'en-GB'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

class ApiFailure extends Error {
  readonly status: number;
  constructor(status: number, detail: string) {
    super(detail);
    this.status = status;
  }
}

async function problemDetail(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}
