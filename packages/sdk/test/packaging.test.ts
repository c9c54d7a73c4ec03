// Builds the SDK, packs it, installs the tarball into an empty project and uses it the way a partner
// would: import from ESM, require from CJS, type-check a usage file, and run arethetypeswrong.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sdkDir = new URL('..', import.meta.url).pathname;
const repoRoot = join(sdkDir, '../..');
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
const hasFinrailClass = existsSync(join(sdkDir, 'src/finrail.ts'));
let project: string;

function run(command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', timeout: 120_000, ...options }) as string;
  } catch (error) {
    const { stdout, stderr, status, signal } = error as { stdout?: string; stderr?: string; status?: number | null; signal?: string | null };
    const how = signal ? `was killed by ${signal}${signal === 'SIGTERM' ? ' (timed out)' : ''}` : `exited ${status}`;
    throw new Error(`${command} ${args.join(' ')} ${how}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'finrail-sdk-pack-'));
  run(bin('tsup'), [], { cwd: sdkDir });
  run('npm', ['pack', '--pack-destination', project], { cwd: sdkDir });
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'partner-app', private: true }));
  // No registry: `npm ci` caches tarballs but not the metadata an install by range needs, so the SDK's
  // dependencies come as tarballs packed from the workspace's own node_modules.
  const dependencies = ['openapi-fetch', 'openapi-typescript-helpers'].map((name) => run('npm', ['pack', join(repoRoot, 'node_modules', name), '--ignore-scripts', '--pack-destination', project]).trim());
  run('npm', ['install', `./${tarball}`, ...dependencies.map((file) => `./${file}`), '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project });
}, 180_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('the packed @finrail/sdk', () => {
  it('ships only dist and package.json, with openapi-fetch as the only dependency', () => {
    const installed = readdirSync(join(project, 'node_modules/@finrail/sdk')).filter((file) => !/^(LICENSE|README\.md)$/.test(file));
    expect(installed.sort()).toEqual(['dist', 'package.json']);
    expect(readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.')).sort()).toEqual(['@finrail', 'openapi-fetch', 'openapi-typescript-helpers']);
    expect(readdirSync(join(project, 'node_modules/@finrail'))).toEqual(['sdk']);
    expect(Object.keys(JSON.parse(readFileSync(join(project, 'node_modules/@finrail/sdk/package.json'), 'utf8')).dependencies)).toEqual(['openapi-fetch']);
  });

  const script = (load: string) => `
    ${load}
    const header = await sdk.Webhooks.prototype.generateTestHeader({ payload: '{"id":"evt_1","type":"t"}', secret: 's' });
    const event = await new sdk.Webhooks().verify('{"id":"evt_1","type":"t"}', { 'finrail-signature': header }, 's');
    const error = sdk.ApiError && new sdk.NotFoundError(404, { title: 'Not found' }, new Headers({ 'x-request-id': 'req_1' }));
    console.log(JSON.stringify({ version: sdk.VERSION, event: event.id, error: error instanceof sdk.FinrailError && error.requestId, finrail: typeof sdk.Finrail }));`;

  it('imports from ESM', () => {
    writeFileSync(join(project, 'esm.mjs'), script(`import * as sdk from '@finrail/sdk';`));
    const output = JSON.parse(run('node', ['esm.mjs'], { cwd: project }));
    expect(output).toEqual({ version: '0.1.0', event: 'evt_1', error: 'req_1', finrail: hasFinrailClass ? 'function' : 'undefined' });
  });

  it('requires from CJS', () => {
    writeFileSync(join(project, 'cjs.cjs'), `(async () => { const sdk = require('@finrail/sdk'); ${script('')} })();`);
    const output = JSON.parse(run('node', ['cjs.cjs'], { cwd: project }));
    expect(output).toEqual({ version: '0.1.0', event: 'evt_1', error: 'req_1', finrail: hasFinrailClass ? 'function' : 'undefined' });
  });

  it('type-checks a usage file under tsc --strict, from ESM and from CJS', () => {
    const usage = `
      import { ApiError, RateLimitError, Webhooks, type RequestOptions, type FinrailOptions } from '@finrail/sdk';
      const options: FinrailOptions = { environment: 'sandbox', clientId: 'id', clientSecret: 'secret', timeout: 5000, maxRetries: 1 };
      const request: RequestOptions = { idempotencyKey: 'k', signal: AbortSignal.timeout(1000) };
      export async function handle(error: unknown, body: string, headers: Headers): Promise<string | number | undefined> {
        if (error instanceof RateLimitError) return error.retryAfter;
        if (error instanceof ApiError) return error.requestId ?? error.status;
        const event = await new Webhooks<{ id: string; type: 'a' | 'b' }>().verify(body, headers, 'whsec', { tolerance: 300 });
        const kind: 'a' | 'b' = event.type;
        return kind + JSON.stringify([options, request]);
      }
      ${hasFinrailClass ? `import { Finrail } from '@finrail/sdk';
      import type { Wallets } from '@finrail/sdk';
      export const finrail: Finrail = new Finrail(options);
      export const createWallet = async (): Promise<Wallets.components['schemas']['Wallet']> =>
        finrail.wallets.create({ body: { currency: 'EUR', owner_reference: 'customer-1' } });
      export const typedCheck = () => finrail.webhooks.verify(body0, new Headers(), 'whsec');
      const body0 = '{}';` : ''}
    `;
    writeFileSync(join(project, 'usage.mts'), usage);
    writeFileSync(join(project, 'usage.cts'), usage);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], types: [], skipLibCheck: false },
        files: ['usage.mts', 'usage.cts'],
      }),
    );
    run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: project });
  }, 120_000);

  it('has no problems according to @arethetypeswrong/cli', () => {
    const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!;
    const report = JSON.parse(run(bin('attw'), [join(project, tarball), '--format', 'json']).trim()) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).toEqual([]);
  }, 60_000);
});
