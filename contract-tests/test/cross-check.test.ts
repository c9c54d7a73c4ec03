// The pact-to-spec cross-check, run as users run it: `finrail contracts check` over every
// committed pact against its spec, and over a pact the spec does not allow.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CANONICAL_APIS, REPO_ROOT, pactFileOf } from '../src/canonical-apis.ts';

const run = promisify(execFile);

async function contractsCheck(pact: string, spec: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['cli/bin/finrail.js', 'contracts', 'check', '--pact', pact, '--spec', spec], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.concurrent('finrail contracts check', () => {
  for (const api of CANONICAL_APIS) {
    const pact = pactFileOf(api).slice(REPO_ROOT.length);
    const missing = !existsSync(`${REPO_ROOT}${pact}`) ? `${pact} is not recorded yet` : !existsSync(`${REPO_ROOT}${api.spec}`) ? `${api.spec} does not exist yet` : undefined;
    if (missing) console.warn(`skipping the ${api.name} cross-check: ${missing}`);
    it.skipIf(missing !== undefined)(`keeps every interaction of ${pact} within ${api.spec}`, async () => {
      const result = await contractsCheck(pact, api.spec);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/all within the spec/);
    });
  }

  it('fails, one line per violation, on a pact the spec does not allow', async () => {
    const pact = 'contract-tests/fixtures/pact-outside-the-spec.json';
    const result = await contractsCheck(pact, 'specs/wallets/openapi.yaml');
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`${pact}  getWallet 200 with an undeclared field  /response/body/nickname  is not an allowed property`);
    expect(lines[1]).toBe(`${pact}  getWallet 200 with a wrong type  /response/body/created_at  must be a string`);
    expect(lines[2]).toMatch(new RegExp(`^${pact}  getWallet 418 undocumented status  /response/status  418 is not a documented status of getWallet \\(documented: 200, .*\\)$`));
    expect(lines[3]).toBe(`${pact}  getWalletNickname 200 unknown path  /request/path  no documented path matches /wallets/v1/wallets/wal_01JDFBTHPHGBTACNJHH7TYWPSY/nickname`);
  });

  it('exits 2 on unusable input', async () => {
    const result = await contractsCheck('contract-tests/fixtures/no-such-pact.json', 'specs/wallets/openapi.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-pact.json: file not found');
  });
});
