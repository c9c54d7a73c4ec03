// Every third-party corpus spec, every fixture spec and each canonical spec that exists: generate
// types + client and type-check all outputs under `tsc --strict` in one TypeScript program.
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { planGeneration, writePlan, type GenerateJob } from '@finrail/generators';
import { makeTempProject, typecheck } from './corpus-typecheck.ts';

const corpusDir = fileURLToPath(new URL('../../../shared/specs-corpus/', import.meta.url));
const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const specsDir = fileURLToPath(new URL('../../specs/', import.meta.url));

const yamlIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort() : []);
const corpus = yamlIn(corpusDir).map((f) => ({ name: `corpus/${f}`, spec: join(corpusDir, f) }));
if (corpus.length === 0) console.log(`corpus specs skipped: ${corpusDir} is absent (it holds the third-party specs in ../shared/specs-corpus)`);
const canonical = ['wallets', 'payments', 'open-banking'].flatMap((api) => {
  const spec = join(specsDir, api, 'openapi.yaml');
  if (existsSync(spec)) return [{ name: `canonical/${api}`, spec }];
  console.log(`canonical spec ${api} skipped: ${spec} does not exist yet`);
  return [];
});
const fixtures = yamlIn(fixturesDir).map((f) => ({ name: `fixture/${f}`, spec: join(fixturesDir, f) }));
const specs = [...corpus, ...canonical, ...fixtures];

/** Typed usage of a generated client: must compile (and each @ts-expect-error must be an error). */
const CLIENT_USAGE = `
import { ModelFeaturesClient, type WebhookEvent } from './fixture/model-features_yaml/client.ts';
const client = new ModelFeaturesClient({ baseUrl: 'http://127.0.0.1/v1/ledger' });
export async function usage(): Promise<string[]> {
  const created = await client.accounts.create({ xTenant: 't', body: { name: 'Cash' } });
  const id: string | undefined = created.id; // readOnly: in responses
  const requestId: string | undefined = created.lastResponse.requestId;
  // @ts-expect-error readOnly properties cannot be sent
  await client.accounts.create({ xTenant: 't', body: { name: 'Cash', id: 'acc_1' } });
  // @ts-expect-error the path parameter is required
  await client.accounts.get({});
  // @ts-expect-error parameters have their schema's type
  await client.accounts.list({ xTenant: 't', limit: 'ten' });
  const names: string[] = [];
  for await (const account of client.accounts.list({ xTenant: 't', limit: 10 })) names.push(account.name);
  const page = await client.accounts.list({ xTenant: 't' });
  const more: boolean | undefined = page.has_more;
  const event: WebhookEvent = { name: 'Closed' };
  return [id ?? '', requestId ?? '', String(more), event.name];
}
`;

let outDir: string;
let diagnostics: Map<string, string[]>;
const generated = new Map<string, string[]>();

beforeAll(async () => {
  outDir = await makeTempProject('corpus');
  const jobs: GenerateJob[] = specs.map(({ name, spec }) => ({ spec, specLabel: name, out: join(outDir, name.replace(/[^\w/-]/g, '_')), targets: ['types', 'client'] }));
  const plan = await planGeneration(jobs);
  await writePlan(plan);
  for (const file of plan.files) generated.set(file.spec, [...(generated.get(file.spec) ?? []), file.path]);
  const usageFile = join(outDir, 'client-usage.ts');
  await writeFile(usageFile, CLIENT_USAGE);
  diagnostics = typecheck([...plan.files.map((file) => file.path), usageFile]);
}, 240_000);

describe.runIf(specs.length > 0)('types + client type-check under tsc --strict', () => {
  it.each(specs.map((s) => s.name))('%s', (name) => {
    const files = generated.get(name) ?? [];
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1)).sort()).toEqual(['client.ts', 'types.ts']);
    expect(files.flatMap((f) => (diagnostics.get(f) ?? []).map((d) => `${f.slice(outDir.length + 1)}:${d}`))).toEqual([]);
  });

  it('generated client methods type their params, bodies, results and pages', () => {
    expect(diagnostics.get(join(outDir, 'client-usage.ts')) ?? []).toEqual([]);
  });

  it('leaves no diagnostics anywhere (including in the runtime it imports)', () => {
    expect([...diagnostics.entries()]).toEqual([]);
  });
});
