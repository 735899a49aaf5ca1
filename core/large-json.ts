/**
 * JSON.parse for documents longer than the longest string V8 can hold (2^29 - 24 UTF-16 units,
 * about 512 MiB of ASCII): a `pulumi preview --json` of 100,000 resources is larger than that.
 *
 * A value short enough for one string is handed to JSON.parse as it is. A longer one must be an
 * object or an array, and is parsed member by member, recursively, so JSON.parse still does all
 * the real work and only the structure between members (commas, colons, brackets) is read here.
 *
 * Finding where a member ends without reading every byte: a raw newline only ever occurs outside
 * strings, so in pretty-printed JSON (what the Pulumi CLI prints) a value that starts on a line
 * indented by N spaces ends at the first later line that is N spaces and its closing bracket.
 * That guess is then checked by JSON.parse itself: a slice that starts where a value starts and
 * parses whole is exactly that value. When there is no such line (compact JSON) or the guess does
 * not parse, the value's end is found by scanning its bytes. Invalid JSON fails the way JSON.parse
 * fails: with a SyntaxError.
 */

/** The longest value parsed in one piece; V8's limit is 0x1fffffe8 characters. */
export const MAX_PIECE_BYTES = 256 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const NEWLINE = 0x0a;

/** How far back indentedEnd looks for the start of a value's line. */
const MAX_LINE_PREFIX = 4096;

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

class Parser {
  constructor(
    private readonly buffer: Buffer,
    private readonly maxPieceBytes: number,
  ) {}

  /** The value starting at `start` (no leading whitespace) and the index just after it. */
  value(start: number, limit: number): { value: unknown; end: number } {
    const open = this.buffer[start];
    if (open !== OPEN_OBJECT && open !== OPEN_ARRAY) {
      const end = open === QUOTE ? this.stringEnd(start, limit) : this.tokenEnd(start, limit);
      return { value: this.parse(start, end), end };
    }
    const guess = this.indentedEnd(start, limit, open === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY);
    if (guess !== null && guess - start <= this.maxPieceBytes) {
      try {
        return { value: this.parse(start, guess), end: guess };
      } catch {
        // Not where the value ends after all: read it exactly below.
      }
    }
    const end = guess !== null && guess - start > this.maxPieceBytes ? null : this.scanEnd(start, limit);
    if (end !== null && end - start <= this.maxPieceBytes) return { value: this.parse(start, end), end };
    return open === OPEN_OBJECT ? this.object(start, limit) : this.array(start, limit);
  }

  private parse(start: number, end: number): unknown {
    return JSON.parse(this.buffer.toString("utf8", start, end));
  }

  private skipSpace(position: number, limit: number): number {
    while (position < limit && isSpace(this.buffer[position])) position += 1;
    return position;
  }

  private expect(position: number, limit: number, what: string): never {
    if (position >= limit) throw new SyntaxError("Unexpected end of JSON input");
    throw new SyntaxError(`Expected ${what} in JSON at position ${position}`);
  }

  private array(start: number, limit: number): { value: unknown[]; end: number } {
    const items: unknown[] = [];
    let position = this.skipSpace(start + 1, limit);
    if (this.buffer[position] === CLOSE_ARRAY) return { value: items, end: position + 1 };
    for (;;) {
      const member = this.value(position, limit);
      items.push(member.value);
      position = this.skipSpace(member.end, limit);
      const next = this.buffer[position];
      if (position < limit && next === CLOSE_ARRAY) return { value: items, end: position + 1 };
      if (position >= limit || next !== COMMA) this.expect(position, limit, "',' or ']'");
      position = this.skipSpace(position + 1, limit);
    }
  }

  private object(start: number, limit: number): { value: Record<string, unknown>; end: number } {
    const result: Record<string, unknown> = {};
    let position = this.skipSpace(start + 1, limit);
    if (this.buffer[position] === CLOSE_OBJECT) return { value: result, end: position + 1 };
    for (;;) {
      if (position >= limit || this.buffer[position] !== QUOTE) this.expect(position, limit, "a string key");
      const keyEnd = this.stringEnd(position, limit);
      const key = this.parse(position, keyEnd) as string;
      position = this.skipSpace(keyEnd, limit);
      if (position >= limit || this.buffer[position] !== COLON) this.expect(position, limit, "':'");
      const member = this.value(this.skipSpace(position + 1, limit), limit);
      // As JSON.parse does: a repeated key keeps its last value; __proto__ is an ordinary key.
      Object.defineProperty(result, key, { value: member.value, enumerable: true, writable: true, configurable: true });
      position = this.skipSpace(member.end, limit);
      const next = this.buffer[position];
      if (position < limit && next === CLOSE_OBJECT) return { value: result, end: position + 1 };
      if (position >= limit || next !== COMMA) this.expect(position, limit, "',' or '}'");
      position = this.skipSpace(position + 1, limit);
    }
  }

  /** The end of a bracketed value as its indentation says, or null (see the module comment). */
  private indentedEnd(start: number, limit: number, close: number): number | null {
    // The line the value starts on; a line longer than this is not pretty-printed JSON.
    let lineStart = start;
    while (lineStart > 0 && this.buffer[lineStart - 1] !== NEWLINE) {
      lineStart -= 1;
      if (start - lineStart > MAX_LINE_PREFIX) return null;
    }
    let indent = lineStart;
    while (indent < start && (this.buffer[indent] === 0x20 || this.buffer[indent] === 0x09)) indent += 1;
    const closing = Buffer.concat([Buffer.from([NEWLINE]), this.buffer.subarray(lineStart, indent), Buffer.from([close])]);
    const found = this.buffer.indexOf(closing, start);
    if (found < 0 || found + closing.length > limit) return null;
    return found + closing.length;
  }

  /** The index just after the string whose opening quote is at `at`. */
  private stringEnd(at: number, limit: number): number {
    let position = at + 1;
    for (;;) {
      const quote = this.buffer.indexOf(QUOTE, position);
      if (quote < 0 || quote >= limit) throw new SyntaxError(`Unterminated string in JSON at position ${at}`);
      let backslashes = 0;
      while (this.buffer[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
      if (backslashes % 2 === 0) return quote + 1;
      position = quote + 1;
    }
  }

  /** The end of a number, true, false or null: the next structural character or whitespace. */
  private tokenEnd(start: number, limit: number): number {
    let position = start;
    while (position < limit) {
      const byte = this.buffer[position];
      if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)) break;
      position += 1;
    }
    if (position === start) this.expect(start, limit, "a JSON value");
    return position;
  }

  /** The index just after the bracketed value at `start`, by reading every byte. */
  private scanEnd(start: number, limit: number): number {
    let depth = 0;
    for (let position = start; position < limit; position += 1) {
      const byte = this.buffer[position];
      if (byte === QUOTE) position = this.stringEnd(position, limit) - 1;
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth += 1;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        depth -= 1;
        if (depth === 0) return position + 1;
      }
    }
    throw new SyntaxError("Unexpected end of JSON input");
  }
}

/** Parses the whole buffer as one JSON document (UTF-8; a byte order mark is skipped, as a view). */
export function parseJsonBuffer(bytes: Uint8Array, maxPieceBytes = MAX_PIECE_BYTES): unknown {
  const whole = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const buffer = whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf ? whole.subarray(3) : whole;
  if (buffer.length <= maxPieceBytes) return JSON.parse(buffer.toString("utf8"));
  const parser = new Parser(buffer, maxPieceBytes);
  let start = 0;
  while (start < buffer.length && isSpace(buffer[start])) start += 1;
  if (start >= buffer.length) throw new SyntaxError("Unexpected end of JSON input");
  const { value, end } = parser.value(start, buffer.length);
  let rest = end;
  while (rest < buffer.length && isSpace(buffer[rest])) rest += 1;
  if (rest < buffer.length) throw new SyntaxError(`Unexpected non-whitespace character after JSON at position ${rest}`);
  return value;
}
