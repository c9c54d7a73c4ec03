// Canonical JSON: object keys sorted, BigInts as decimal strings, no whitespace. Two equal values
// always encode to the same text, which makes it fit for hashing and for comparing requests.
// (On the hot path of every command, hence the plain loops.)

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'bigint':
      return `"${value}"`;
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return JSON.stringify(value);
  }
}
