// Consumer contract tests: the real @finrail/sdk against the Pact mock server, for every
// generated interaction of each canonical API. The recorded pact must equal the committed one
// (contract-tests/pacts/), so a change in what the SDK sends, or in the specs, shows up as a diff
// to review and commit (`npm run record-pacts -w contract-tests`).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_APIS, pactFileOf } from '../src/canonical-apis.ts';
import { recordSdkPact, unavailableReason } from '../src/record.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finrail-consumer-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(CANONICAL_APIS)('SDK consumer pact for $name', (api) => {
  const reason = unavailableReason(api);
  if (reason) console.warn(`skipping the ${api.name} consumer pact: ${reason}`);

  it.skipIf(reason !== undefined)(
    'the SDK sends every interaction the pact expects and surfaces each documented status',
    async () => {
      const { file, recorded, interactions } = await recordSdkPact(api, dir);
      expect(recorded.map((entry) => entry.description)).toEqual(interactions.map((interaction) => interaction.description));
      const statuses = recorded.map((entry, index) => [entry.description, entry.status, interactions[index]!.response.status]);
      expect(statuses.filter(([, seen, expected]) => seen !== expected)).toEqual([]);

      const committed = pactFileOf(api);
      if (!existsSync(committed)) throw new Error(`${committed} is missing: run npm run record-pacts -w contract-tests and commit it`);
      expect(await readFile(file, 'utf8'), `${committed} is stale: run npm run record-pacts -w contract-tests`).toBe(
        await readFile(committed, 'utf8'),
      );
    },
    120_000,
  );
});
