/** Where the entries of a stack file are written, for pointing a finding at the entry behind it. */
import type { AntivirusSettings } from "./client-config";
import type { WrittenConfig } from "./defaults";
import { ANTIVIRUS, CLIENT, ENDPOINTS, ENFORCEMENT, HANDLER_VERSIONS, RINGS, WAIVERS } from "./paths";
import type { Anchor, Segment, YamlSource } from "./yaml-source";

/** Where something is written in a stack file; `line` and `column` are 1-based, as in a ConfigProblem. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

type ExclusionList = keyof AntivirusSettings["exclusions"];

/**
 * Where the entries a finding can be about are written: a list item where its mapping (or, for an
 * exclusion, its text) starts, a keyed entry at its key. Lists are index for index with the loaded
 * ClientConfig's; an entry the file does not write has no location (the default rings, a
 * `steward:antivirus` left out).
 */
export interface ConfigLocations {
  /** The `steward:client` key. */
  client: SourceLocation;
  /** The `steward:antivirus` key, when the file writes it. */
  antivirus?: SourceLocation;
  /** Each entry of `antivirus.exclusions`, list by list. */
  antivirusExclusions: Record<ExclusionList, SourceLocation[]>;
  /** Each ring of `updateRings`; none when the file writes none (the default rings). */
  updateRings: SourceLocation[];
  endpoints: SourceLocation[];
  waivers: SourceLocation[];
  /** Each enforcement override, by policy id. */
  enforcement: ReadonlyMap<string, SourceLocation>;
  /** Each minimum handler version, by extension type. */
  minimumHandlerVersions: ReadonlyMap<string, SourceLocation>;
}

/** The locations of the entries of `config`, the accepted `config:` that `source` holds. */
export function configLocations(file: string, source: YamlSource, config: WrittenConfig): ConfigLocations {
  const at = (path: readonly Segment[], anchor: Anchor): SourceLocation => ({ file, ...source.position(source.offset(path, anchor)) });
  const items = (path: readonly Segment[], list: readonly unknown[] | undefined) => (list ?? []).map((_, index) => at([...path, index], "value"));
  const keys = (path: readonly Segment[], map: object | undefined) => new Map(Object.keys(map ?? {}).map((key) => [key, at([...path, key], "key")]));
  const antivirus = config["steward:antivirus"];
  const exclusions = (list: ExclusionList) => items([...ANTIVIRUS, "exclusions", list], antivirus?.exclusions?.[list]);
  return {
    client: at(CLIENT, "key"),
    ...(antivirus === undefined ? {} : { antivirus: at(ANTIVIRUS, "key") }),
    antivirusExclusions: { paths: exclusions("paths"), extensions: exclusions("extensions"), processes: exclusions("processes") },
    updateRings: items(RINGS, config["steward:updateRings"]),
    endpoints: items(ENDPOINTS, config["steward:endpoints"]),
    waivers: items(WAIVERS, config["steward:waivers"]),
    enforcement: keys(ENFORCEMENT, config["steward:policy"]?.enforcement),
    minimumHandlerVersions: keys(HANDLER_VERSIONS, config["steward:policy"]?.minimumHandlerVersions),
  };
}
