// The gate evaluates only the endpoints a change touched in the before-state (core/partition.ts).
// That is sound only while every policy judges one endpoint with what it shares, or the shared
// context alone: these tests hold every policy to it, through the real wasm, by comparing the
// shortcut with evaluating the whole before-state.
import { readdirSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { StewardInput } from "../core/document";
import type { Finding } from "../core/engine";
import { gateDocument } from "../core/gate";
import { beforeFindings, partition, restrictTo } from "../core/partition";
import { resourceStates } from "../core/sources/pulumi";
import { sameJson } from "../core/values";
import { syntheticClient, syntheticPreview } from "./support/synthetic";
import { compliantDocument, engine, fixtures, readJson } from "./support";

const NOW = new Date("2026-11-27T12:00:00Z");

const line = (finding: Finding) => `${finding.policy} ${finding.urn} ${finding.enforcement} ${finding.message} ${JSON.stringify(finding.waiver)}`;
const lines = (findings: Finding[]) => findings.map(line).sort();

/** Every policy sample document (fixtures/policies/<folder>/{allowed,disallowed}/*.json). */
const samples = readdirSync(fixtures("policies"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) =>
    ["allowed", "disallowed"].flatMap((kind) =>
      readdirSync(fixtures("policies", folder.name, kind))
        .filter((file) => file.endsWith(".json"))
        .map((file) => `${folder.name}/${kind}/${file}`),
    ),
  )
  .sort();
const sample = (name: string) => readJson<StewardInput>(fixtures("policies", ...name.split("/")));

function shortcut(before: StewardInput, after: StewardInput): Finding[] {
  return beforeFindings(engine(), before, { document: after, findings: engine().evaluate(after).findings });
}

describe("the before-state's findings from the endpoints a change touched", () => {
  it("there are samples of every policy", () => {
    const folders = [...new Set(samples.map((name) => name.split("/")[0]))];
    expect(folders).toEqual(Object.keys(engine().catalog).map((policy) => policy.replaceAll("-", "_")).sort());
  });

  // Most samples are the compliant base document with one thing changed: as the before-state of
  // a change to the base (its findings resolved) and as the after-state of one (its findings new).
  it.each(samples)("%s: exactly the whole before-state's findings, either way round", (name) => {
    const base = compliantDocument();
    const changed = sample(name);
    changed.evaluatedAt = base.evaluatedAt;
    expect(lines(shortcut(changed, base))).toEqual(lines(engine().evaluate(changed).findings));
    expect(lines(shortcut(base, changed))).toEqual(lines(engine().evaluate(base).findings));
  });

  it.each(samples)("%s: every endpoint, alone with the context, gets the findings it gets among all", (name) => {
    const document = sample(name);
    const parts = partition(document);
    const whole = engine().evaluate(document).findings;
    for (const [key, unit] of parts.units) {
      const alone = engine().evaluate(restrictTo(document, parts, [key])).findings;
      const about = (findings: Finding[]) => lines(findings.filter((finding) => unit.urns.has(finding.urn)));
      expect(about(alone), key).toEqual(about(whole));
    }
  });

  it("evaluates only the changed endpoint when the context is the same, and the whole before-state when it is not", () => {
    const base = compliantDocument();
    const withoutAntivirus = compliantDocument();
    (withoutAntivirus.endpoints[0] as StewardInput["endpoints"][number]).antivirus = [];
    const evaluate = vi.spyOn(engine(), "evaluate");
    try {
      shortcut(withoutAntivirus, base);
      // The after-state, then the before-state with the changed endpoint of the base's two.
      expect(evaluate.mock.calls.map(([document]) => document.endpoints.map((endpoint) => endpoint.name))).toEqual([["web-01", "files-01"], ["web-01"]]);

      evaluate.mockClear();
      const otherSettings = compliantDocument();
      otherSettings.settings.maxDaysAfterPatchTuesday += 1;
      shortcut(otherSettings, base);
      expect(evaluate.mock.calls.map(([document]) => document)).toEqual([base, otherSettings]);
    } finally {
      evaluate.mockRestore();
    }
  });

  it("a synthetic client of 400 endpoints with every kind of change (the benchmark's input): the whole before-state's findings", () => {
    const { config } = syntheticClient("bench", 400, 7);
    const { preview, shape } = syntheticPreview(config, "bench", 7);
    expect(shape.nonCompliant).toEqual({ antivirusDeleted: 1, autoUpgradeOff: 1, monitoringMissing: 1, ringAssignmentAdded: 1 });
    const states = resourceStates(preview, "preview.json");
    const request = { states, config: null, evaluatedAt: NOW };
    const before = gateDocument(request, states.before);
    const after = gateDocument(request, states.after);
    const evaluate = vi.spyOn(engine(), "evaluate");
    try {
      const findings = shortcut(before, after);
      // The after-state, then the endpoints the change touched: antivirus deleted (arc-l-000016),
      // auto-upgrade switched off (vm-l-000116), ring assignment added (vm-l-000316); not
      // vm-w-000216, which lacks its monitoring agent on both sides.
      expect(evaluate.mock.calls.map(([document]) => document.endpoints.length)).toEqual([400, 3]);
      expect(evaluate.mock.calls[1]?.[0].endpoints.map((endpoint) => endpoint.name)).toEqual(["arc-l-000016", "vm-l-000116", "vm-l-000316"]);
      expect(lines(findings)).toEqual(lines(engine().evaluate(before).findings));
    } finally {
      evaluate.mockRestore();
    }
  });
});

describe("sameJson", () => {
  it.each([
    [{ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: {} }, { a: [] }, false],
    [[], {}, false],
    [null, {}, false],
    ["1", 1, false],
    [{ $unknown: true }, { $unknown: true }, true],
  ])("%j and %j: %s", (a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
    expect(sameJson(b, a)).toBe(same);
  });
});
