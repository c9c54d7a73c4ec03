import { checkPactFiles, formatViolation, PactInputError, PactPublishError, publishPacts } from '@finrail/generators';
import { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { note, plural, printLines } from '../output.ts';
import { UsageError, runCommand } from '../run-command.ts';

interface PublishOptions {
  pact: string[];
  brokerUrl?: string;
  consumerVersion: string;
  branch?: string;
  tag?: string[];
}

interface CheckOptions {
  pact: string[];
  spec: string;
}

export function contractsCommand(): Command {
  return new Command('contracts')
    .description('contract tests: check Pact files against an OpenAPI spec, publish them to a Pact Broker')
    .addCommand(
      new Command('check')
        .description(
          'validate every interaction of the pacts against the spec with the server runtime\'s validators; ' +
            'responses may omit optional fields but not carry undeclared ones. Exit 1 with one line per violation',
        )
        .requiredOption('--pact <files...>', 'Pact files (V2, V3 or V4)')
        .requiredOption('--spec <file>', 'the OpenAPI 3.0/3.1 spec the provider implements')
        .action(runCommand((options: CheckOptions) => check(options))),
    )
    .addCommand(
      new Command('publish')
        .description('publish Pact files to a Pact Broker or PactFlow (token from PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD)')
        .requiredOption('--pact <files...>', 'Pact files of one consumer')
        .option('--broker-url <url>', 'the broker (default: PACT_BROKER_BASE_URL)')
        .requiredOption('--consumer-version <version>', "the consumer's version, e.g. the git commit")
        .option('--branch <branch>', "the consumer version's branch")
        .option('--tag <tags...>', 'tags for the consumer version')
        .action(runCommand((options: PublishOptions) => publish(options))),
    );
}

export async function publish(options: PublishOptions, env = process.env): Promise<number> {
  const brokerUrl = options.brokerUrl ?? env.PACT_BROKER_BASE_URL;
  if (!brokerUrl) throw new UsageError('--broker-url (or PACT_BROKER_BASE_URL) is required');
  try {
    const result = await publishPacts({
      brokerUrl,
      pactFiles: options.pact,
      consumerVersion: options.consumerVersion,
      branch: options.branch,
      tags: options.tag,
      token: env.PACT_BROKER_TOKEN,
      username: env.PACT_BROKER_USERNAME,
      password: env.PACT_BROKER_PASSWORD,
    });
    for (const notice of result.notices) note(notice);
    note(`finrail contracts publish: ${plural(result.providers.length, 'pact')} of ${result.consumer} ${options.consumerVersion} published to ${brokerUrl}`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof PactInputError) {
      note(`finrail contracts publish: ${error.message}`);
      return EXIT.input;
    }
    if (error instanceof PactPublishError) {
      note(`finrail contracts publish: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

export async function check(options: CheckOptions): Promise<number> {
  let result;
  try {
    result = await checkPactFiles(options.pact, options.spec);
  } catch (error) {
    if (!(error instanceof PactInputError)) throw error;
    note(`finrail contracts check: ${error.message}`);
    return EXIT.input;
  }
  printLines(result.violations.map(formatViolation));
  for (const { file, interaction } of result.skipped) note(`${file}  ${interaction}  skipped: not an HTTP interaction`);
  note(
    `finrail contracts check: ${plural(result.interactions, 'interaction')} in ${plural(options.pact.length, 'pact file')} against ${options.spec}: ` +
      (result.violations.length === 0 ? 'all within the spec' : plural(result.violations.length, 'violation')),
  );
  return result.violations.length === 0 ? EXIT.ok : EXIT.failed;
}
