// The fixture world every example in the canonical specs is drawn from. The reference ledger
// seeds exactly these ids; a spec test fails if an example uses an id that is not listed here.
export const fixtureIds = {
  wallets: {
    alice: 'wal_01JDFBTHPHGBTACNJHH7TYWPSY',
    bob: 'wal_01JDF1A4HC28CTHR4K84KPCYCP',
    carol: 'wal_01JDFZXWPY1EXM4V3T49RDTTPG',
  },
  topUps: { aliceBankTransfer: 'tup_01JDFTHYXPZSWWY7K98NADZRDB' },
  withdrawals: { alicePending: 'wdr_01JDFCG7AE1J29PWKQZ6ECSS7C' },
  transfers: { aliceToBob: 'tr_01JDFPHCJHKNB27DRPEJEMBH63' },
  holds: { aliceDeposit: 'hold_01JDFFJCJT248HCSDT7SJ8CNCW' },
  transactions: {
    aliceTopUp: 'txn_01JDFH4QCEEJYGP9G41P4XP8NF',
    aliceTransferOut: 'txn_01JDFX16JEKA1GA5SMR1K2TP3Y',
    bobTransferIn: 'txn_01JDF6TX3KEADNRYK48ACWKX5Q',
    aliceHoldCapture: 'txn_01JDFFSPCRGFZW0WG4Y4R9M5YQ',
    aliceWithdrawal: 'txn_01JDF4GAB7JM492EP20BEN6MWG',
    currentAccountSalary: 'txn_01JDFEC320F9CPEG5DE14HHCDE',
    currentAccountRent: 'txn_01JDF45JWCDG7C2M2WTCQ28BFP',
    energyBillPayment: 'txn_01JDFDHS09X12GSG1WAXCJN6QA',
  },
  payments: {
    order1001: 'pay_01JDF2HTDFYHYSQ409S9WRWH46',
    bikeRental: 'pay_01JDFRX68D6XTBYGC40M65RA8J',
  },
  refunds: { order1001Partial: 're_01JDF4STBWZ7RRGHRC31AX8ZP3' },
  webhookEndpoints: { orderService: 'we_01JDFAF83KNE4N4WPAENZGW10E' },
  events: {
    order1001Succeeded: 'evt_01JDF75KD2SYE851QEVDGB0RND',
    bikeRentalFailed: 'evt_01JDFD0Q4XKZ8M2R6T1VB9NCHW',
    bikeRentalCanceled: 'evt_01JDFG5T7YB1N3Q8W0XKC4M6RZ',
    order1001Refunded: 'evt_01JDFJ8W2ZD4P6S0Y3MNE7Q9TB',
    order1001RefundFailed: 'evt_01JDFK3B6C9D2F5G8H1J4K7M0N',
    aliceTopUpPosted: 'evt_01JDFAB6GJ4PGQ7KXZ0E5R1WTM',
    aliceDepositExpired: 'evt_01JDFM3N8V0TQK5ZPRW7XC2YHD',
    aliceWithdrawalSettled: 'evt_01JDFS2D9W6YB3HQ0KMT8VNJ4R',
    aliceWithdrawalFailed: 'evt_01JDFV7HC3KR0ZB8XMGW5QTP2N',
    accountAccessAuthorised: 'evt_01JDFN4R8T2V6X0Z3B7D1F5H9K',
    accountAccessRevoked: 'evt_01JDFP7S1V5X9Z2C6E0G4J8M3Q',
    energyBillSettled: 'evt_01JDFQ0T3W7Y1A4C8E2G6J0M5R',
  },
  accounts: {
    aliceCurrent: 'acc_01JDFMMW5TX7V4WNSMPJ2KZ72M',
    aliceSavings: 'acc_01JDF8Z5TE95RB45VTVBBYSB9D',
  },
  consents: {
    accountAccess: 'cons_01JDF4ZW3DJ4KDH18SHRN1Z7ZK',
    domesticPayment: 'cons_01JDFKZ2ZQAF6JMHJQ3SD0KZK3',
    fundsConfirmation: 'cons_01JDFFFPFWSYZKAZ8WNWV2C0ME',
  },
  domesticPayments: { energyBill: 'dp_01JDFWTPABD35PP6P929DB19EZ' },
  fundsConfirmations: { purchase01: 'fc_01JDFW4SFPPXQ9XQN8M6NAPDAN' },
} as const;

type Values<T> = T[keyof T];
export type FixtureId = Values<{ [K in keyof typeof fixtureIds]: Values<(typeof fixtureIds)[K]> }>;
