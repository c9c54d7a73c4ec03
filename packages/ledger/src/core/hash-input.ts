// An entry's hash input — its previous hash, a newline, then its canonical text (hash-chain.ts) —
// written straight into bytes: the same bytes as that text in UTF-8, without the twenty
// intermediate strings that building it takes and the flat copy that hashing a string makes (a
// quarter of what a batched transfer allocated). Only for the ASCII texts nearly every entry has:
// an entry with any other character, or a number that is not a safe integer, is hashed from its
// text, so the bytes never differ (a property test holds both ways together).
import { AsciiText } from './ascii-text.ts';
import { decimal } from './canonical.ts';
import type { EntryDraft } from './types.ts';

const input = new AsciiText();

/**
 * The hash input of an entry as bytes, or undefined when one of its texts is not ASCII. The bytes
 * are valid until the next call: hash them at once.
 */
export function hashInputBytes(prevHash: string, entry: EntryDraft & { seq: number }, postings: string, metadata: string): Buffer | undefined {
  input.start().text(prevHash).text('\n[').digits(entry.seq).text(',').quoted(entry.id).text(',"').text(entry.kind).text('","').text(decimal(entry.amount)).text('",').quoted(entry.currency).text(',');
  if (entry.pendingId === null) input.text('null');
  else input.quoted(entry.pendingId);
  input.text(',');
  if (entry.reversesId === null) input.text('null');
  else input.quoted(entry.reversesId);
  // The request is itself JSON text, quoted again: it always has quotes to escape.
  input.text(',').text(JSON.stringify(entry.request)).text(',').text(metadata).text(',').digits(entry.createdAt).text(',').text(postings).text(']');
  return input.ascii ? input.bytes() : undefined;
}
