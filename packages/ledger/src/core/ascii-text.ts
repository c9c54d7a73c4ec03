// ASCII text assembled in a reused buffer: the texts of a transfer (its request, its postings, its
// hash input) made without the intermediate string that every concatenation allocates, as one flat
// string or as bytes. A piece with any other character marks the text as not ASCII, and the
// caller then builds it as a string (so the result never differs from the string's).

/**
 * Texts up to this long (ids, kinds, currencies: most pieces) are copied by a plain loop: for them
 * the native write's call costs more than the copy (~12 against ~28 ns for 8 characters).
 */
const SHORT_TEXT = 16;

/**
 * Writes `value` into `bytes` from `at`, one byte per character, and says whether it was ASCII
 * (if not, what was written is to be dropped or overwritten). `bytes` must have room for three
 * bytes per character: the native UTF-8 write, which also tells whether the text was ASCII (one
 * byte per code unit), writes up to that.
 */
export function writeAscii(bytes: Buffer, at: number, value: string): boolean {
  if (value.length > SHORT_TEXT) return bytes.write(value, at, 'utf8') === value.length;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) return false;
    bytes[at + i] = code;
  }
  return true;
}

export class AsciiText {
  #bytes = Buffer.allocUnsafeSlow(1024);
  #length = 0;
  #ascii = true;

  /** Starts a new text (what the last one gave must have been used by now). */
  start(): this {
    this.#length = 0;
    this.#ascii = true;
    return this;
  }

  /** Whether every piece so far was ASCII: only then is the text right. */
  get ascii(): boolean {
    return this.#ascii;
  }

  text(value: string): this {
    if (!this.#ascii) return this;
    this.#room(3 * value.length);
    if (!writeAscii(this.#bytes, this.#length, value)) this.#ascii = false;
    this.#length += value.length;
    return this;
  }

  /** JSON.stringify(value). */
  quoted(value: string): this {
    if (!this.#ascii) return this;
    this.#room(value.length + 2);
    const bytes = this.#bytes;
    const start = this.#length;
    let at = start;
    bytes[at++] = 0x22;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      // A character JSON escapes: the escaped text instead, as JSON.stringify writes it.
      if (code < 0x20 || code === 0x22 || code === 0x5c) {
        this.#length = start;
        return this.text(JSON.stringify(value));
      }
      if (code > 0x7f) this.#ascii = false;
      bytes[at++] = code;
    }
    bytes[at++] = 0x22;
    this.#length = at;
    return this;
  }

  /** The decimal digits of a safe integer, as `${value}` writes them (anything else is not written: the text is then not ASCII). */
  digits(value: number): this {
    if (Number.isSafeInteger(value)) return this.text(`${value}`);
    this.#ascii = false;
    return this;
  }

  /** The text as one flat string. */
  string(): string {
    return this.#bytes.toString('latin1', 0, this.#length);
  }

  /** The text's bytes, valid until the next start(). */
  bytes(): Buffer {
    return this.#bytes.subarray(0, this.#length);
  }

  #room(more: number): void {
    if (this.#length + more <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.#bytes.length, this.#length + more));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }
}
