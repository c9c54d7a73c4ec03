// The process loadSpecsApart starts: imports the spec loader it is given (argv[2]), loads and bundles
// the specs (argv[3], JSON), answers once over IPC and ends. No top-level await: the CJS build runs it too.
type Loader = { loadSpec(path: string): Promise<unknown> };

const [loaderUrl, pathsJson] = process.argv.slice(2) as [string, string];
(import(loaderUrl) as Promise<Loader>)
  .then(({ loadSpec }) => Promise.all((JSON.parse(pathsJson) as string[]).map((path) => loadSpec(path))))
  .then(
    (specs) => ({ specs }),
    (error: { name?: string; message?: string; code?: string; file?: string; line?: number; column?: number }) => ({
      error: { name: error?.name, message: String(error?.message ?? error), code: error?.code, file: error?.file, line: error?.line, column: error?.column },
    }),
  )
  .then((reply) => process.send!(reply, () => process.disconnect()));
