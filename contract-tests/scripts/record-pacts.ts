// `npm run record-pacts -w contract-tests`: rewrites contract-tests/pacts/finrail-sdk-<api>.json
// from the generated interactions, through the real SDK. Commit the result; the consumer test
// fails when a committed pact no longer matches what the SDK sends.
import { CANONICAL_APIS, PACTS_DIR } from '../src/canonical-apis.ts';
import { recordSdkPact, unavailableReason } from '../src/record.ts';

for (const api of CANONICAL_APIS) {
  const reason = unavailableReason(api);
  if (reason) {
    console.error(`skipped ${api.name}: ${reason}`);
    continue;
  }
  const { file, recorded, interactions } = await recordSdkPact(api, PACTS_DIR);
  const off = recorded.filter((entry, index) => entry.status !== interactions[index]!.response.status);
  for (const entry of off) console.error(`${entry.description}: the SDK reported status ${entry.status}`);
  console.error(`wrote ${file}: ${recorded.length} interactions`);
  if (off.length > 0) process.exitCode = 1;
}
