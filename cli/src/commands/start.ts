import { displayPath, summarizeSpec, type ApiSummary } from '@finrail/generators';
import { Command } from 'commander';
import { specsOrCanonical } from '../canonical-specs.ts';
import { printLines } from '../output.ts';
import { runCommand } from '../run-command.ts';
import { bundleAndWrite } from './bundle.ts';
import { lintAndReport } from './lint.ts';

export function startCommand(): Command {
  return new Command('start')
    .description('lint and bundle the canonical specs (or the given ones), then print a summary of each API')
    .argument('[specs...]', 'spec files (default: the canonical wallets, payments and open-banking specs)')
    .option('--out <dir>', 'where the bundles go', 'dist')
    .action(
      runCommand(async (specArgs: string[], options: { out: string }) => {
        const specs = specsOrCanonical(specArgs);
        const lintCode = await lintAndReport(specs, { format: 'text' });
        const { exitCode: bundleCode, bundles } = await bundleAndWrite(specs, options.out);
        printLines(bundles.flatMap((bundle) => ['', ...formatSummary(summarizeSpec(bundle.spec), displayPath(bundle.spec.path))]));
        return Math.max(lintCode, bundleCode);
      }),
    );
}

function formatSummary(summary: ApiSummary, path: string): string[] {
  return [
    `${summary.title} ${summary.version}  (${path}, OpenAPI ${summary.openapi})`,
    `  operations: ${summary.operations}   webhooks: ${summary.webhooks}   scopes: ${summary.scopes.length}`,
    ...(summary.scopes.length > 0 ? [`  ${summary.scopes.join(', ')}`] : []),
  ];
}
