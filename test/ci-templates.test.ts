// The CI templates (.github/workflows/, azure-pipelines.yml): actionlint finds nothing in the
// workflows, every template is valid YAML with the structure the README promises, and every
// `steward` command they run parses with the CLI's own command tree — a template never calls a
// command or flag that does not exist.
//
// actionlint (pinned in scripts/tools.mjs, built from Go modules on first use) also runs
// shellcheck on each `run:` script when `shellcheck` is on PATH; without it that part is skipped.
// It checks the workflow syntax itself (keys, types, expressions, contexts, the inputs of known
// actions), which is why no JSON Schema is used: no npm package ships SchemaStore's workflow schema
// as a file (@action-validator/core 0.6.0 compiles one into wasm, under GPL-3.0-only), and none
// ships Azure Pipelines' — its structure is asserted below.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommanderError, type Command } from "commander";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../cli/main";
import { root } from "./support";

const workflowsDir = join(root, ".github", "workflows");
const workflowFiles = readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const setupAction = join(root, ".github", "actions", "setup-steward", "action.yml");
const azurePipelines = join(root, "azure-pipelines.yml");
// Built on first use, which on a new machine takes longer than a test may.
const actionlint = execFileSync(process.execPath, [join(root, "scripts", "tools.mjs"), "path", "actionlint"], { encoding: "utf8" }).trim();

type Yaml = Record<string, unknown>;

/** A template parsed strictly: any YAML error or warning (a duplicate key among them) fails. */
function load(path: string): Yaml {
  const document = parseDocument(readFileSync(path, "utf8"), { prettyErrors: false, uniqueKeys: true });
  expect([...document.errors, ...document.warnings].map((problem) => problem.message)).toEqual([]);
  return document.toJS() as Yaml;
}

const workflow = (name: string) => load(join(workflowsDir, name));
const record = (value: unknown) => value as Yaml;
const jobsOf = (template: Yaml) => record(template.jobs);
type Step = { uses?: string; run?: string; with?: Yaml; env?: Yaml; if?: string; name?: string; id?: string };
const stepsOf = (job: unknown) => (record(job).steps ?? []) as Step[];

describe("actionlint", () => {
  it("finds nothing in any workflow", () => {
    expect(workflowFiles).toEqual(["steward-daily.yml", "steward-deploy.yml", "steward-pr.yml"]);
    const run = spawnSync(actionlint, ["-no-color", "-format", "{{json .}}", ...workflowFiles.map((name) => join(".github", "workflows", name))], { cwd: root, encoding: "utf8" });
    expect({ findings: JSON.parse(run.stdout || "null"), stderr: run.stderr, status: run.status }).toEqual({ findings: [], stderr: "", status: 0 });
  });

  it("reports a broken workflow (the check can fail)", () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n        shell: bashh\n";
    const run = spawnSync(actionlint, ["-no-color", "-shellcheck=", "-format", "{{json .}}", "-"], { cwd: root, encoding: "utf8", input: broken });
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as Array<{ kind: string }>).map((finding) => finding.kind).sort()).toEqual(["expression", "shell-name"]);
  });
});

describe("the GitHub Actions workflows", () => {
  it("triggers: pull requests into main, a daily schedule, pushes to main", () => {
    expect(Object.fromEntries(workflowFiles.map((name) => [name, workflow(name).on]))).toEqual({
      "steward-pr.yml": { pull_request: { branches: ["main"] } },
      "steward-daily.yml": { schedule: [{ cron: "23 5 * * *" }], workflow_dispatch: null },
      "steward-deploy.yml": { push: { branches: ["main"] }, workflow_dispatch: null },
    });
  });

  it("least privilege: nothing for the workflow, each job only what it uses", () => {
    const permissions = Object.fromEntries(
      workflowFiles.map((name) => {
        const template = workflow(name);
        return [name, { workflow: template.permissions, ...Object.fromEntries(Object.entries(jobsOf(template)).map(([id, job]) => [id, record(job).permissions])) }];
      }),
    );
    expect(permissions).toEqual({
      "steward-pr.yml": {
        workflow: {},
        stacks: { contents: "read" },
        gate: { contents: "read", "id-token": "write", "security-events": "write", "pull-requests": "write" },
        verdict: {},
      },
      "steward-daily.yml": {
        workflow: {},
        stacks: { contents: "read" },
        drift: { contents: "read", "id-token": "write" },
        reports: { contents: "read", "id-token": "write" },
      },
      "steward-deploy.yml": {
        workflow: {},
        stacks: { contents: "read", actions: "read" },
        gate: { contents: "read", "id-token": "write", "security-events": "write" },
        deploy: { contents: "read", "id-token": "write" },
      },
    });
  });

  it("actions pinned to major versions of the official actions (and one well-known comment action)", () => {
    const uses = [...workflowFiles.map(workflow).flatMap((template) => Object.values(jobsOf(template)).flatMap(stepsOf)), ...stepsOf(record(load(setupAction).runs))]
      .map((step) => step.uses)
      .filter((value): value is string => value !== undefined);
    expect([...new Set(uses)].sort()).toEqual([
      "./.github/actions/setup-steward",
      "actions/cache@v4",
      "actions/checkout@v4",
      "actions/setup-go@v5",
      "actions/setup-node@v4",
      "actions/upload-artifact@v4",
      "azure/login@v2",
      "github/codeql-action/upload-sarif@v3",
      "marocchino/sticky-pull-request-comment@v2",
      "pulumi/actions@v6",
    ]);
  });

  it("every matrix is steward's own list of stacks", () => {
    const matrices = workflowFiles.flatMap((name) =>
      Object.entries(jobsOf(workflow(name)))
        .filter(([, job]) => record(job).strategy !== undefined)
        .map(([id, job]) => [`${name} ${id}`, record(record(job).strategy).matrix, record(job).needs]),
    );
    const fromSteward = { include: "${{ fromJSON(needs.stacks.outputs.stacks).stacks }}" };
    expect(matrices).toEqual([
      ["steward-daily.yml drift", fromSteward, "stacks"],
      ["steward-deploy.yml gate", fromSteward, "stacks"],
      ["steward-deploy.yml deploy", fromSteward, ["stacks", "gate"]],
      ["steward-pr.yml gate", fromSteward, "stacks"],
    ]);
  });

  it("deploys only after the gate, behind the environment, one update per stack at a time", () => {
    const { deploy, gate } = jobsOf(workflow("steward-deploy.yml"));
    expect({ environment: record(deploy).environment, concurrency: record(deploy).concurrency, if: record(deploy).if }).toEqual({
      environment: "production",
      concurrency: { group: "steward-deploy-${{ matrix.stack }}", "cancel-in-progress": false },
      if: "github.ref == 'refs/heads/main'",
    });
    expect(stepsOf(deploy).map((step) => step.run).filter(Boolean)).toEqual(['pulumi up --stack "$STACK" --yes --policy-pack policies/pack']);
    expect(stepsOf(gate).at(-1)?.run).toBe('npx steward gate preview.json --stack "$STACK" --format github');
  });

  it("the pull request's required check fails unless every gated stack passed", () => {
    const { verdict } = jobsOf(workflow("steward-pr.yml"));
    expect({ name: record(verdict).name, needs: record(verdict).needs, if: record(verdict).if }).toEqual({ name: "steward gate", needs: ["stacks", "gate"], if: "always()" });
  });

  it("scripts never expand ${{ }} themselves: values reach them through env", () => {
    const scripts = workflowFiles.flatMap((name) => Object.values(jobsOf(workflow(name))).flatMap(stepsOf)).flatMap((step) => (step.run === undefined ? [] : [step.run]));
    expect(scripts.length).toBe(17);
    expect(scripts.filter((script) => script.includes("${{"))).toEqual([]);
  });
});

describe("scripts/resource-graph-export.sh, which both daily jobs run", () => {
  it("combines every page of az graph query into one export with the first page's total, which steward checks", () => {
    // A stand-in az: the first call returns a page with a skip_token, the one with that token the last page.
    const bin = mkdtempSync(join(tmpdir(), "steward-az-"));
    const az = join(bin, "az");
    writeFileSync(
      az,
      [
        "#!/usr/bin/env bash",
        // Each call's command, the query's first line, and its other arguments.
        'printf "%s %s|%s|%s\\n" "$1" "$2" "${4%%$\'\\n\'*}" "${*:5}" >> "$(dirname "$0")/calls"',
        'case "$*" in',
        '  *"--skip-token page2"*) echo \'{"count": 1, "data": [{"id": "c"}], "skip_token": null, "total_records": 3}\' ;;',
        '  *) echo \'{"count": 2, "data": [{"id": "a"}, {"id": "b"}], "skip_token": "page2", "total_records": 3}\' ;;',
        "esac",
        "",
      ].join("\n"),
    );
    chmodSync(az, 0o755);
    const out = join(bin, "patch-assessment.json");
    const run = spawnSync(join(root, "scripts", "resource-graph-export.sh"), ["patch-assessment", out], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect([run.status, run.stderr]).toEqual([0, ""]);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ count: 3, data: [{ id: "a" }, { id: "b" }, { id: "c" }], skip_token: null, total_records: 3 });
    const calls = readFileSync(join(bin, "calls"), "utf8").trim().split("\n");
    expect(calls).toEqual(["graph query|patchassessmentresources|--first 1000 --output json", "graph query|patchassessmentresources|--first 1000 --skip-token page2 --output json"]);
    expect(readdirSync(bin).sort()).toEqual(["az", "calls", "patch-assessment.json"]);
  });
});

describe("azure-pipelines.yml", () => {
  const pipeline = load(azurePipelines);
  const stages = pipeline.stages as Yaml[];
  const jobsIn = (stage: Yaml) => stage.jobs as Yaml[];

  it("triggers: pull requests into main, pushes to main, a daily schedule", () => {
    expect({ trigger: pipeline.trigger, pr: pipeline.pr, schedules: pipeline.schedules }).toEqual({
      trigger: { branches: { include: ["main"] } },
      pr: { branches: { include: ["main"] } },
      schedules: [{ cron: "23 5 * * *", displayName: "Daily drift and reports", branches: { include: ["main"] }, always: true }],
    });
  });

  it("stages: select the stacks, gate (not on the schedule), drift (only on it), deploy from main after the gate", () => {
    expect(stages.map((stage) => [stage.stage, stage.dependsOn ?? null, stage.condition ?? null])).toEqual([
      ["select", null, null],
      ["gate", "select", "and(succeeded(), ne(variables['Build.Reason'], 'Schedule'), ne(dependencies.select.outputs['stacks.list.count'], '0'))"],
      ["drift", "select", "and(succeeded(), eq(variables['Build.Reason'], 'Schedule'))"],
      [
        "deploy",
        ["select", "gate"],
        "and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'), in(variables['Build.Reason'], 'IndividualCI', 'BatchedCI', 'Manual'))",
      ],
    ]);
  });

  it("every matrix is the output variable that steward stacks' step sets", () => {
    const matrices = stages.flatMap((stage) => jobsIn(stage).flatMap((job) => (job.strategy && record(job.strategy).matrix ? [[`${stage.stage} ${job.job}`, record(job.strategy).matrix]] : [])));
    const fromSteward = "$[ stageDependencies.select.stacks.outputs['list.matrix'] ]";
    expect(matrices).toEqual([
      ["gate gate", fromSteward],
      ["drift drift", fromSteward],
      ["deploy up", fromSteward],
    ]);
    const [select] = stages;
    const list = (jobsIn(select as Yaml)[0]?.steps as Array<{ name?: string; bash?: string }>).find((step) => step.name === "list");
    expect(list?.bash).toContain("##vso[task.setvariable variable=matrix;isOutput=true]$matrix");
    expect(list?.bash).toContain("##vso[task.setvariable variable=count;isOutput=true]");
  });

  it("deploys behind the environment's approval, after it", () => {
    const deploy = stages.find((stage) => stage.stage === "deploy") as Yaml;
    expect(jobsIn(deploy).map((job) => [job.deployment ?? job.job, job.environment ?? null, job.dependsOn ?? null])).toEqual([
      ["approval", "steward-production", null],
      ["up", null, "approval"],
      ["deployed", null, "up"],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The steward commands the templates run

/** Every script in a template: GitHub's `run:`, Azure Pipelines' `script:`, `bash:` and the
 *  Azure CLI task's `inlineScript`, wherever they are. */
function scriptsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(scriptsIn);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (["run", "script", "bash", "inlineScript"].includes(key) && typeof inner === "string" ? [inner] : scriptsIn(inner)));
}

/**
 * The simple commands of a shell script, as words: enough of the shell for the templates' scripts
 * (quotes, escapes, line continuations, comments, `$( )` — whose commands are listed too —,
 * redirections, `|`, `||`, `&&`, `;`). Variables stay as written (`"$STACK"` is the word `$STACK`).
 */
function simpleCommands(script: string): string[][] {
  const commands: string[][] = [];
  let command: string[] = [];
  let word: string | null = null;
  let dropNextWord = false;
  const endWord = () => {
    if (word !== null) {
      if (dropNextWord) dropNextWord = false;
      else command.push(word);
    }
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (command.length > 0) commands.push(command);
    command = [];
  };
  /** The text of a `$( … )` that opens at `start` (the `$`), and where it ends. */
  const substitution = (start: number): [string, number] => {
    let depth = 0;
    let quote: string | null = null;
    for (let i = start + 1; i < script.length; i++) {
      const char = script[i];
      if (quote) {
        if (char === "\\" && quote === '"') i++;
        else if (char === quote) quote = null;
      } else if (char === "'" || char === '"') quote = char;
      else if (char === "(") depth++;
      else if (char === ")" && --depth === 0) return [script.slice(start + 2, i), i];
    }
    throw new Error(`unclosed $( in: ${script}`);
  };
  const addSubstitution = (start: number): number => {
    const [inner, end] = substitution(start);
    commands.push(...simpleCommands(inner));
    word = `${word ?? ""}$(${inner})`;
    return end;
  };

  for (let i = 0; i < script.length; i++) {
    const char = script[i] as string;
    if (char === "\\" && script[i + 1] === "\n") i++;
    else if (char === "\\") word = `${word ?? ""}${script[++i] ?? ""}`;
    else if (char === "'") {
      const end = script.indexOf("'", i + 1);
      word = `${word ?? ""}${script.slice(i + 1, end)}`;
      i = end;
    } else if (char === '"') {
      word ??= "";
      for (i++; script[i] !== '"'; i++) {
        if (script[i] === "\\") word += script[++i];
        else if (script[i] === "$" && script[i + 1] === "(") i = addSubstitution(i);
        else word += script[i];
      }
    } else if (char === "$" && script[i + 1] === "(") i = addSubstitution(i);
    else if (char === "#" && word === null) i = script.indexOf("\n", i) === -1 ? script.length : script.indexOf("\n", i) - 1;
    else if (char === " " || char === "\t") endWord();
    else if ("\n;&|()".includes(char)) endCommand();
    else if (char === ">" || char === "<") {
      // A file descriptor before the operator (`2>`) and the target after it are no arguments.
      if (word !== null && /^\d+$/.test(word)) word = null;
      endWord();
      if (script[i + 1] === ">") i++;
      if (script[i + 1] === "&") i += 1 + (/^\d+/.exec(script.slice(i + 2))?.[0].length ?? 0);
      else dropNextWord = true;
    } else word = `${word ?? ""}${char}`;
  }
  endCommand();
  return commands;
}

/** The arguments of each `npx steward …` (or `steward …`) the scripts run, assignments before it left out. */
function stewardCalls(scripts: string[]): string[][] {
  return scripts
    .flatMap(simpleCommands)
    .map((words) => words.slice(words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word))))
    .flatMap((words) => (words[0] === "npx" && words[1] === "steward" ? [words.slice(2)] : words[0] === "steward" ? [words.slice(1)] : []));
}

/** The CLI's command tree with every action a no-op: parsing alone says whether a command line is
 *  valid (command, options, option values and choices, arguments). */
function cliParser(): Command {
  const program = buildProgram();
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    if (command !== program) command.action(() => undefined);
  }
  return program;
}

/** null when the CLI accepts the command line, else commander's message. */
function cliRejects(args: string[]): string | null {
  try {
    cliParser().parse(args, { from: "user" });
    return null;
  } catch (error) {
    if (error instanceof CommanderError) return error.message;
    throw error;
  }
}

describe("the steward commands in the templates", () => {
  it("reads scripts as the shell does", () => {
    const script = [
      'npx steward gate preview.json --stack "$STACK" --format sarif --output steward.sarif || [ $? -eq 1 ]',
      'deployed="$(gh run list --json headSha --jq \'.[0].headSha // empty\')" # a comment',
      "echo \"stacks=$(jq -c . stacks.json)\" >> \"$GITHUB_OUTPUT\"",
      "npx steward stacks \\",
      "  --changed-since 'origin/main' --format json 2>/dev/null > stacks.json",
      "case x in PullRequest) steward drift;; esac >&2",
    ].join("\n");
    expect(simpleCommands(script)).toEqual([
      ["npx", "steward", "gate", "preview.json", "--stack", "$STACK", "--format", "sarif", "--output", "steward.sarif"],
      ["[", "$?", "-eq", "1", "]"],
      ["gh", "run", "list", "--json", "headSha", "--jq", ".[0].headSha // empty"],
      ["deployed=$(gh run list --json headSha --jq '.[0].headSha // empty')"],
      ["jq", "-c", ".", "stacks.json"],
      ["echo", "stacks=$(jq -c . stacks.json)"],
      ["npx", "steward", "stacks", "--changed-since", "origin/main", "--format", "json"],
      ["case", "x", "in", "PullRequest"],
      ["steward", "drift"],
      ["esac"],
    ]);
  });

  it("the check rejects what the CLI rejects", () => {
    expect(cliRejects(["gate", "preview.json", "--stack", "$STACK", "--format", "sarif"])).toBeNull();
    expect(cliRejects(["gates"])).toBe("error: unknown command 'gates'\n(Did you mean gate?)");
    expect(cliRejects(["gate", "--formt", "sarif"])).toBe("error: unknown option '--formt'\n(Did you mean --format?)");
    expect(cliRejects(["gate", "--format", "markdown"])).toBe(
      "error: option '-f, --format <format>' argument 'markdown' is invalid. Allowed choices are table, json, sarif, junit, github.",
    );
    expect(cliRejects(["stacks", "--changed-since"])).toBe("error: option '--changed-since <ref>' argument missing");
    expect(cliRejects(["drift", "a.json", "b.json"])).toBe("error: too many arguments for 'drift'. Expected 1 argument but got 2.");
    expect(cliRejects(["report", "--due", "--out", "reports"])).toBeNull();
  });

  it("every one is a real command with real flags", () => {
    const calls = Object.fromEntries(
      [...workflowFiles.map((name) => [name, join(workflowsDir, name)]), ["azure-pipelines.yml", azurePipelines]].map(([name, path]) => [
        name,
        stewardCalls(scriptsIn(load(path as string))).map((args) => ({ args: args.join(" "), rejected: cliRejects(args) })),
      ]),
    );
    const ok = (args: string) => ({ args, rejected: null });
    expect(calls).toEqual({
      "steward-daily.yml": [
        ok("stacks --format json"),
        ok("drift drift/$STACK.refresh.json --stack $STACK --format json"),
        ok("drift drift/$STACK.refresh.json --stack $STACK"),
        ok("report --due --out reports --inventory inventory.json --patch-assessment patch-assessment.json"),
      ],
      "steward-deploy.yml": [
        ok("stacks --changed-since $deployed --format json"),
        ok("stacks --format json"),
        ok("gate preview.json --stack $STACK --format sarif --output steward.sarif"),
        ok("gate preview.json --stack $STACK --format github"),
      ],
      "steward-pr.yml": [
        ok("stacks --changed-since origin/$BASE_REF --format json"),
        ok("gate preview.json --stack $STACK --format sarif --output steward.sarif"),
        ok("report --stack $STACK --format markdown"),
        ok("gate preview.json --stack $STACK --format github"),
      ],
      "azure-pipelines.yml": [
        ok("stacks --changed-since origin/${SYSTEM_PULLREQUEST_TARGETBRANCH#refs/heads/} --format json"),
        ok("stacks --changed-since $deployed --format json"),
        ok("stacks --format json"),
        ok("stacks --format json"),
        ok("gate preview.json --stack $STACK --format junit --output steward.xml"),
        ok("report --stack $STACK --format markdown"),
        ok("gate preview.json --stack $STACK"),
        ok("drift drift/$STACK.refresh.json --stack $STACK --format json"),
        ok("drift drift/$STACK.refresh.json --stack $STACK"),
        ok("report --due --out reports --inventory inventory.json --patch-assessment patch-assessment.json"),
      ],
    });
  });
});
