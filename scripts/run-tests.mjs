#!/usr/bin/env node
// `npm test`: checks generated code for drift, type-checks every workspace, runs every test
// suite through turbo, then prints one summary line from the vitest JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const reportPaths = workspaces
  .flatMap((pattern) => (pattern.endsWith('/*') ? listDirs(pattern.slice(0, -2)) : [pattern]))
  .map((dir) => join(root, dir, '.vitest-report.json'));

function listDirs(parent) {
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);
}

function run(title, command, args) {
  console.log(`\n▶ ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } });
  return result.status === 0;
}

for (const path of reportPaths) rmSync(path, { force: true });

// The CLI checks the Node.js version and says how to get Node 24: on an older Node nothing below can run.
if (!run('finrail runs on this Node.js', 'node', ['cli/bin/finrail.js', '--version'])) process.exit(1);

const steps = [
  ['generated code is up to date', 'node', ['cli/bin/finrail.js', 'generate', '--check']],
  ['type-check and test every workspace', 'npx', ['turbo', 'run', 'typecheck', 'test', '--concurrency=2', '--continue']],
];
const failedSteps = steps.filter(([title, command, args]) => !run(title, command, args)).map(([title]) => title);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const path of reportPaths) {
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log('');
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join('; ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
