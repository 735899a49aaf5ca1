/**
 * A stack file's YAML with its positions: parses the text keeping every node's offsets, and maps a
 * key path of the parsed data back to where it is written (line and column, 1-based).
 */
import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from "yaml";

/** A key path: mapping keys and sequence indexes. */
export type Segment = string | number;

/** What of a path a position points at: the key itself (unknown keys), its value (wrong values),
 *  or the mapping that should hold it (missing keys): the key that opens that mapping, or the
 *  mapping itself when it is a list item. */
export type Anchor = "key" | "value" | "parent";

/** yaml's wording where it assumes the reader knows its API, by error code. */
export const YAML_MESSAGES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: "this key is already set earlier in the same mapping",
  MULTIPLE_DOCS: "a stack file holds one YAML document (remove the `---` separator)",
};

/** Maps key paths of the parsed data back to offsets in the YAML text. */
export class YamlSource {
  /** Parses `text`; syntax errors are in `document.errors`, never thrown. */
  static parse(text: string): YamlSource {
    const lineCounter = new LineCounter();
    return new YamlSource(parseDocument(text, { lineCounter, prettyErrors: false }), lineCounter);
  }

  private constructor(
    readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  }

  line(path: readonly Segment[], anchor: Anchor): number {
    return this.position(this.offset(path, anchor)).line;
  }

  /** Where `path` is written; when it is not (a missing key), where its nearest ancestor is. */
  offset(path: readonly Segment[], anchor: Anchor): number {
    if (anchor === "parent") return this.offset(path.slice(0, -1), "key");
    let node: unknown = this.document.contents;
    let keyStart: number | undefined;
    let nearest = startOf(node) ?? 0;
    for (const segment of path) {
      const parent = isAlias(node) ? node.resolve(this.document) : node;
      const step = childOf(parent, segment);
      if (!step) return nearest;
      ({ node, keyStart } = step);
      nearest = keyStart ?? startOf(node) ?? nearest;
    }
    // An empty value (`key:` with nothing after it) has no text of its own: point at its key.
    const valueStart = isScalar(node) && node.range && node.range[0] === node.range[1] ? undefined : startOf(node);
    return (anchor === "key" ? (keyStart ?? valueStart) : (valueStart ?? keyStart)) ?? nearest;
  }

  /** The key path of the innermost value written around `offset` (for YAML errors). */
  pathAt(offset: number): Segment[] {
    const path: Segment[] = [];
    let node: unknown = this.document.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && contains(item.key, offset, isNode(item.value) ? item.value : item.key));
        if (!pair || !isScalar(pair.key)) break;
        path.push(String(pair.key.value));
        node = pair.value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => isNode(item) && contains(item, offset, item));
        if (index < 0) break;
        path.push(index);
        node = node.items[index];
      } else break;
    }
    return path;
  }
}

function startOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

/** Whether `offset` lies between the start of `first` and the end of `last` (a key and its value). */
function contains(first: unknown, offset: number, last: unknown): boolean {
  const start = startOf(first);
  const end = isNode(last) && last.range ? last.range[2] : undefined;
  return start !== undefined && end !== undefined && start <= offset && offset <= end;
}

/** One step down a key path: a mapping's value by key (with where the key is), or a list item. */
function childOf(node: unknown, segment: Segment): { node: unknown; keyStart: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    return pair ? { node: pair.value, keyStart: startOf(pair.key) } : undefined;
  }
  if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
    return { node: node.items[segment], keyStart: undefined };
  }
  return undefined;
}
