import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { displayPath, lintSpec, loadLintConfig } from '@finrail/generators';
import { Command, Option } from 'commander';
import { defaultLintConfigPath, specsOrCanonical } from '../canonical-specs.ts';
import { EXIT } from '../exit-codes.ts';
import { eachSpec, printInputErrors } from '../each-spec.ts';
import { formatProblemLine, inputErrorJson, note, plural, printJson, printLines } from '../output.ts';
import { runCommand } from '../run-command.ts';

export interface LintOptions {
  config?: string;
  format: 'text' | 'json';
}

export function lintCommand(): Command {
  return new Command('lint')
    .description('lint OpenAPI 3.0/3.1 specs with Redocly and the Finrail ruleset')
    .argument('[specs...]', 'spec files (default: the canonical wallets, payments and open-banking specs)')
    .option('--config <redocly.yaml>', "Redocly config to lint with (default: redocly.yaml in the current directory, else Finrail's ruleset)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(runCommand((specs: string[], options: LintOptions) => lintAndReport(specsOrCanonical(specs), options)));
}

/** Lints every spec (an unusable one does not stop the others), prints the report, returns the exit code. */
export async function lintAndReport(specs: readonly string[], options: LintOptions): Promise<number> {
  const found = options.config === undefined ? teamConfigInCwd() : undefined;
  if (found) note(`finrail lint: rules from ${displayPath(found)} (--config chooses another)`);
  const config = await loadLintConfig(options.config ?? found ?? defaultLintConfigPath);
  const { outcomes, results, inputErrors } = await eachSpec(specs, (spec) => lintSpec(spec, config));
  const errors = results.reduce((sum, result) => sum + result.errors, 0);
  const warnings = results.reduce((sum, result) => sum + result.warnings, 0);

  if (options.format === 'json') {
    printJson({
      errors,
      warnings,
      specs: outcomes.map((outcome) =>
        'result' in outcome
          ? {
              spec: displayPath(outcome.result.spec),
              errors: outcome.result.errors,
              warnings: outcome.result.warnings,
              problems: outcome.result.problems.map((problem) => ({ ...problem, file: displayPath(problem.file) })),
            }
          : { spec: displayPath(outcome.spec), inputError: inputErrorJson(outcome.inputError) },
      ),
    });
  } else {
    printLines(results.flatMap((result) => result.problems.map(formatProblemLine)));
    printInputErrors(inputErrors);
    const unusable = inputErrors.length > 0 ? `, ${plural(inputErrors.length, 'unusable spec')}` : '';
    note(`finrail lint: ${plural(results.length, 'spec')} linted: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${unusable}`);
  }
  if (inputErrors.length > 0) return EXIT.input;
  return errors > 0 ? EXIT.failed : EXIT.ok;
}

/** The Redocly config a team keeps beside its specs, found where Redocly's own CLI looks for it. */
function teamConfigInCwd(): string | undefined {
  return ['redocly.yaml', 'redocly.yml', '.redocly.yaml', '.redocly.yml'].map((name) => resolve(name)).find((path) => existsSync(path));
}
