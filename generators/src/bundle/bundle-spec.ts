import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { stringifyYaml } from '@redocly/openapi-core';
import { loadSpec, type LoadedSpec } from '../input/load-spec.ts';

export interface SpecBundle {
  /** File stem of the outputs: the API's folder for `<api>/openapi.yaml`, else the file's own stem. */
  name: string;
  spec: LoadedSpec;
  /** Self-contained YAML and JSON of the bundled document, byte-identical for identical input. */
  yaml: string;
  json: string;
}

/** Bundles one spec (all external `$ref`s inlined) into YAML and JSON text. */
export async function bundleSpec(path: string): Promise<SpecBundle> {
  const spec = await loadSpec(path);
  return {
    name: bundleName(spec.path),
    spec,
    // noRefs: shared objects are written out in full, never as YAML anchors; lineWidth -1: no folding.
    yaml: stringifyYaml(spec.document, { noRefs: true, lineWidth: -1 }),
    json: `${JSON.stringify(spec.document, null, 2)}\n`,
  };
}

/** `specs/wallets/openapi.yaml` → `wallets`; `specs/corpus/petstore.json` → `petstore`. */
export function bundleName(specPath: string): string {
  const stem = basename(specPath, extname(specPath));
  return stem === 'openapi' ? basename(dirname(specPath)) : stem;
}

/** Writes `<outDir>/<name>.yaml` and `<outDir>/<name>.json`; returns their paths. */
export async function writeBundle(bundle: SpecBundle, outDir: string): Promise<[yamlPath: string, jsonPath: string]> {
  await mkdir(outDir, { recursive: true });
  const yamlPath = join(outDir, `${bundle.name}.yaml`);
  const jsonPath = join(outDir, `${bundle.name}.json`);
  await Promise.all([writeFile(yamlPath, bundle.yaml), writeFile(jsonPath, bundle.json)]);
  return [yamlPath, jsonPath];
}
