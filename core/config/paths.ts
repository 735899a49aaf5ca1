/** Where each steward setting sits in a stack file: the key paths the checks and the locations use. */
import type { Segment } from "./yaml-source";

export const CLIENT: readonly Segment[] = ["config", "steward:client"];
export const ANTIVIRUS: readonly Segment[] = ["config", "steward:antivirus"];
export const RINGS: readonly Segment[] = ["config", "steward:updateRings"];
export const ENDPOINTS: readonly Segment[] = ["config", "steward:endpoints"];
export const WAIVERS: readonly Segment[] = ["config", "steward:waivers"];
export const ENFORCEMENT: readonly Segment[] = ["config", "steward:policy", "enforcement"];
export const HANDLER_VERSIONS: readonly Segment[] = ["config", "steward:policy", "minimumHandlerVersions"];
