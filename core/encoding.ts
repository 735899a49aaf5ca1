/**
 * Text files as Windows writes them. Every file steward reads (previews, event logs, exports,
 * inventories, normalized documents, stack files) is UTF-8 JSON or YAML, but:
 * - Windows PowerShell 5.1's `>` and `Out-File` write UTF-16 LE with a byte order mark, and
 *   `-Encoding utf8` there writes UTF-8 with one (EF BB BF); Notepad may add one too.
 * - JSON.parse refuses a BOM ("Unexpected token"), and a UTF-16 file read as UTF-8 is a NUL
 *   after every ASCII character.
 *
 * `utf8Bytes` looks at the first bytes only: a UTF-8 BOM is dropped without copying (a view of
 * the same bytes), UTF-16 with a BOM (LE or BE) is decoded to UTF-8 (strictly: a lone surrogate
 * is refused), and what cannot be JSON or YAML text in UTF-8 is refused naming its encoding and
 * the fix: UTF-32, and UTF-16 without a BOM (a NUL in the first two bytes: JSON and YAML text
 * starts with an ASCII character and holds no raw NUL). Anything else is returned as it is.
 */
import { InputError } from "./errors";

/** How to write a file the way steward reads it, from Windows PowerShell. */
export const UTF8_FIX = "write it as UTF-8 (Windows PowerShell: `... | Out-File -Encoding utf8 FILE` instead of `... > FILE`)";

/** UTF-16 is decoded in pieces of this many bytes (even), so no piece is near V8's longest string. */
const UTF16_PIECE_BYTES = 64 * 1024 * 1024;

/** The bytes of a text file as UTF-8 without a byte order mark; `name` names the file in errors. */
export function utf8Bytes(bytes: Buffer, name: string, pieceBytes = UTF16_PIECE_BYTES): Buffer {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return bytes.subarray(3);
  if (b0 === 0xff && b1 === 0xfe) {
    if (b2 === 0 && b3 === 0) throw refused(name, "UTF-32 (little-endian, with a byte order mark)");
    return fromUtf16(bytes.subarray(2), "UTF-16 LE", name, pieceBytes);
  }
  if (b0 === 0xfe && b1 === 0xff) return fromUtf16(bytes.subarray(2), "UTF-16 BE", name, pieceBytes);
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) throw refused(name, "UTF-32 (big-endian, with a byte order mark)");
  if (bytes.length >= 2 && (b0 === 0 || b1 === 0)) throw refused(name, "UTF-16 or UTF-32 without a byte order mark (it has NUL bytes)");
  return bytes;
}

/** A text's first character dropped when it is a byte order mark (text decoded elsewhere). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function refused(name: string, encoding: string): InputError {
  return new InputError(`${name} is ${encoding}, which steward does not read: ${UTF8_FIX}`);
}

function fromUtf16(body: Buffer, encoding: "UTF-16 LE" | "UTF-16 BE", name: string, pieceBytes: number): Buffer {
  if (body.length % 2 !== 0) throw new InputError(`${name} is not valid ${encoding} (an odd number of bytes): ${UTF8_FIX}`);
  // Big-endian is swapped to little-endian in a copy: the caller's bytes are left as they are.
  const units = encoding === "UTF-16 LE" ? body : Buffer.from(body).swap16();
  const decoder = new TextDecoder("utf-16le", { fatal: true });
  const step = pieceBytes - (pieceBytes % 2);
  const pieces: Buffer[] = [];
  try {
    for (let start = 0; start < units.length; start += step) {
      const end = Math.min(start + step, units.length);
      // `stream` keeps a surrogate pair split across two pieces together.
      pieces.push(Buffer.from(decoder.decode(units.subarray(start, end), { stream: end < units.length }), "utf8"));
    }
  } catch (error) {
    throw new InputError(`${name} is not valid ${encoding} (${(error as Error).message}): ${UTF8_FIX}`, { cause: error });
  }
  return Buffer.concat(pieces);
}
