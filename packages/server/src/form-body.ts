// Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`) as the object their
// schema describes: repeated fields become arrays, each value is coerced from its string as a
// query parameter is, JSON parts are parsed and file parts stay Blobs.
import { coerceScalar } from './parameters.ts';
import type { FormFieldDefinition } from './types.ts';

export type FormFields = Readonly<Record<string, FormFieldDefinition>>;
type FormValue = string | Blob;

export function urlEncodedEntries(text: string): Iterable<[string, FormValue]> {
  return new URLSearchParams(text);
}

/**
 * Multipart parts by name, or undefined when the body is not valid multipart. Parts uploaded as
 * files (the way clients send JSON parts too) are read as text unless their field is binary.
 */
export async function multipartEntries(bytes: Uint8Array, contentType: string, fields: FormFields): Promise<Array<[string, FormValue]> | undefined> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const entries: Array<[string, FormValue]> = [];
  for (const [name, value] of form) {
    const field = fields[name];
    entries.push([name, typeof value === 'string' || !field || field.binary ? value : await value.text()]);
  }
  return entries;
}

/** Fields the definition does not know keep their raw values (an array when repeated). */
export function coerceForm(entries: Iterable<[string, FormValue]>, fields: FormFields): Record<string, unknown> {
  const form: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const [name, raw] of entries) {
    const field = fields[name];
    const value = field ? coerceField(raw, field) : raw;
    if (!(name in form)) {
      form[name] = field?.type === 'array' ? [value] : value;
    } else if (field?.type === 'array') {
      (form[name] as unknown[]).push(value);
    } else {
      // A repeated single-valued field stays visible as an array: validation rejects it.
      if (!repeated.has(name)) form[name] = [form[name]];
      repeated.add(name);
      (form[name] as unknown[]).push(value);
    }
  }
  return form;
}

function coerceField(value: FormValue, field: FormFieldDefinition): unknown {
  if (field.binary) return typeof value === 'string' ? new Blob([value]) : value;
  if (typeof value !== 'string') return value;
  if (field.json) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return coerceScalar(value, field.type === 'array' ? field.items : field.type);
}
