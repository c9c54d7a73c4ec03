#!/usr/bin/env node
// prepack/postpack for published workspace packages. In the repo, each export has a "source"
// condition pointing at src/*.ts (tests and the CLI run from sources, no build); the tarball
// ships dist/ only, so `prepack` removes those conditions and `postpack` puts package.json back.
//   node ../../scripts/pack-manifest.mjs strip | restore
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const manifest = 'package.json';
const backup = 'package.json.prepack';
const [action] = process.argv.slice(2);

function withoutSourceCondition(value) {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'source')
      .map(([key, entry]) => [key, withoutSourceCondition(entry)]),
  );
}

if (action === 'strip') {
  copyFileSync(manifest, backup);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  if (pkg.exports) pkg.exports = withoutSourceCondition(pkg.exports);
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (action === 'restore') {
  if (existsSync(backup)) renameSync(backup, manifest);
} else {
  console.error('usage: pack-manifest.mjs strip|restore');
  process.exit(2);
}
