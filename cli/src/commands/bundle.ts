import { bundleSpec, displayPath, writeBundle, type SpecBundle } from '@finrail/generators';
import { Command } from 'commander';
import { specsOrCanonical } from '../canonical-specs.ts';
import { EXIT } from '../exit-codes.ts';
import { eachSpec, printInputErrors } from '../each-spec.ts';
import { printLines } from '../output.ts';
import { prepareOutDir } from '../out-dir.ts';
import { UsageError, runCommand } from '../run-command.ts';

export function bundleCommand(): Command {
  return new Command('bundle')
    .description('bundle each spec into one self-contained YAML and JSON file (<api>.yaml, <api>.json)')
    .argument('[specs...]', 'spec files (default: the canonical wallets, payments and open-banking specs)')
    .option('--out <dir>', 'output directory', 'dist')
    .action(runCommand(async (specs: string[], options: { out: string }) => (await bundleAndWrite(specsOrCanonical(specs), options.out)).exitCode));
}

/**
 * Bundles every spec, then writes the ones that bundled. Two specs that would write the same
 * file name are a usage error, caught before anything is written.
 */
export async function bundleAndWrite(specs: readonly string[], outDir: string): Promise<{ exitCode: number; bundles: SpecBundle[] }> {
  const { results: bundles, inputErrors } = await eachSpec(specs, bundleSpec);
  printInputErrors(inputErrors);
  assertDistinctNames(bundles);
  const dir = bundles.length > 0 ? await prepareOutDir(outDir) : outDir;
  for (const bundle of bundles) {
    const written = await writeBundle(bundle, dir);
    printLines([`${displayPath(bundle.spec.path)} → ${written.map((file) => displayPath(file)).join(', ')}`]);
  }
  return { exitCode: inputErrors.length > 0 ? EXIT.input : EXIT.ok, bundles };
}

function assertDistinctNames(bundles: readonly SpecBundle[]): void {
  const byName = new Map<string, string>();
  for (const bundle of bundles) {
    const other = byName.get(bundle.name);
    if (other) {
      throw new UsageError(`${displayPath(other)} and ${displayPath(bundle.spec.path)} would both be bundled as ${bundle.name}.yaml; bundle them into separate --out directories`);
    }
    byName.set(bundle.name, bundle.spec.path);
  }
}
