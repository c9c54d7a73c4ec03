// A tiny indentation-aware line writer: generated code is tidy without a formatter.

export class CodeWriter {
  readonly #lines: string[] = [];
  #depth = 0;

  line(text = ''): this {
    this.#lines.push(text === '' ? '' : '  '.repeat(this.#depth) + text);
    return this;
  }

  lines(texts: readonly string[]): this {
    for (const text of texts) this.line(text);
    return this;
  }

  /** `open` line, indented body, `close` line. */
  block(open: string, body: () => void, close = '}'): this {
    this.line(open);
    this.#depth += 1;
    body();
    this.#depth -= 1;
    return this.line(close);
  }

  toString(): string {
    return `${this.#lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
  }
}

/** A single-quoted TypeScript string literal. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}

/** JSDoc lines for the given paragraphs (empty when there is nothing to say). */
export function jsDoc(paragraphs: Array<string | undefined>): string[] {
  const text = paragraphs
    .filter((p): p is string => p !== undefined && p.trim() !== '')
    .map((p) => p.trim().replace(/\*\//g, '*\\/'))
    .join('\n\n');
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.length === 1) return [`/** ${lines[0]} */`];
  return ['/**', ...lines.map((l) => (l.trim() === '' ? ' *' : ` * ${l.trimEnd()}`)), ' */'];
}

/** JSDoc lines with an `@deprecated` tag appended. */
export function withDeprecated(doc: string[]): string[] {
  if (doc.length === 0) return ['/** @deprecated */'];
  const body = doc.length === 1 ? ['/**', ` * ${doc[0]!.slice(4, -3)}`] : doc.slice(0, -1);
  return [...body, ' * @deprecated', ' */'];
}
