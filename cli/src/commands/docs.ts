import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDocsHtml, bundleName, displayPath } from '@finrail/generators';
import { Command } from 'commander';
import { specsOrCanonical } from '../canonical-specs.ts';
import { EXIT } from '../exit-codes.ts';
import { eachSpec, printInputErrors } from '../each-spec.ts';
import { printLines } from '../output.ts';
import { prepareOutDir } from '../out-dir.ts';
import { runCommand } from '../run-command.ts';

interface DocsOptions {
  out: string;
  cdn?: boolean;
}

export function docsCommand(): Command {
  return new Command('docs')
    .description('build an HTML API reference per spec with Redocly (<api>.html)')
    .argument('[specs...]', 'spec files (default: the canonical wallets, payments and open-banking specs)')
    .option('--out <dir>', 'output directory', 'dist/docs')
    .option('--cdn', "load Redoc's script from Redocly's CDN instead of inlining it (smaller pages, needs a network)")
    .action(
      runCommand(async (specs: string[], options: DocsOptions) => {
        const outDir = await prepareOutDir(options.out);
        const { inputErrors } = await eachSpec(specsOrCanonical(specs), async (spec) => {
          const html = await buildDocsHtml(spec, { cdn: options.cdn ?? false });
          const file = join(outDir, `${bundleName(spec)}.html`);
          await writeFile(file, html);
          printLines([`${displayPath(spec)} → ${displayPath(file)}`]);
        });
        printInputErrors(inputErrors);
        return inputErrors.length > 0 ? EXIT.input : EXIT.ok;
      }),
    );
}
