// `steward stacks`: the client stacks as a CI matrix, and with --changed-since the stacks a change
// touches — against real git repositories made here, with real commits.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stacksReport } from "../cli/commands/stacks";
import { classifyChange, globPattern, type ChangedPath } from "../cli/stacks";
import { inputError, root } from "./support";

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "steward-stacks-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs git in a test repository; a failure fails the test with git's message. */
function git(cwd: string, ...args: string[]): string {
  const run = spawnSync("git", ["-c", "user.name=steward tests", "-c", "user.email=tests@steward.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

const stackYaml = (id: string) => `config:\n  azure-native:location: eastus\n  steward:client:\n    id: ${id}\n`;

let repositories = 0;
/** A repository on branch main with three client stacks and a few of steward's files, committed;
 *  then branch `change`, checked out, where each test makes its change. */
function repository(): string {
  const dir = join(scratch, `repo-${++repositories}`);
  const files: Record<string, string> = {
    "stacks/Pulumi.alpha.yaml": stackYaml("alpha"),
    "stacks/Pulumi.bravo.yaml": stackYaml("bravo-corp"),
    // The id is read without judging the file: this one declares none.
    "stacks/Pulumi.charlie.yml": "config:\n  azure-native:location: eastus\n",
    "core/gate.ts": "export {};\n",
    "policies/rules/antivirus/policy.rego": "package rules.antivirus\n",
    "policies/rules/antivirus/policy_test.rego": "package rules.antivirus_test\n",
    "README.md": "# MSP\n",
    "test/gate.test.ts": "export {};\n",
  };
  for (const [path, text] of Object.entries(files)) write(dir, path, text);
  git(dir, "init", "--quiet", "--initial-branch=main");
  commitAll(dir, "the MSP's repository");
  git(dir, "checkout", "--quiet", "-b", "change");
  return dir;
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function commitAll(dir: string, message: string): void {
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "--message", message);
}

const report = (dir: string, changedSince?: string) => stacksReport({ stacksDir: join(dir, "stacks"), ...(changedSince === undefined ? {} : { changedSince }) }).report;

const ALPHA = { stack: "alpha", client: "alpha", file: "stacks/Pulumi.alpha.yaml" };
const BRAVO = { stack: "bravo", client: "bravo-corp", file: "stacks/Pulumi.bravo.yaml" };
const CHARLIE = { stack: "charlie", client: null, file: "stacks/Pulumi.charlie.yml" };

function steward(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("steward stacks: every client stack", () => {
  it("lists each stack with the client id its file declares and its path in the repository", () => {
    expect(report(repository())).toEqual({
      version: 1,
      changedSince: null,
      stacks: [ALPHA, BRAVO, CHARLIE],
      removed: [],
      reason: "every stack: no --changed-since",
      changes: [],
    });
  });

  it("outside a git work tree, paths are relative to the current folder", () => {
    const dir = join(scratch, "not-a-repository");
    write(dir, "clients/Pulumi.alpha.yaml", stackYaml("alpha"));
    const { code, stdout } = steward(["stacks", "--stacks-dir", "clients", "--format", "json"], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).stacks).toEqual([{ stack: "alpha", client: "alpha", file: "clients/Pulumi.alpha.yaml" }]);
  });

  it("a stacks folder without stack files is an input error (exit 2), not an empty matrix", () => {
    const dir = join(scratch, "empty-stacks");
    mkdirSync(join(dir, "stacks"), { recursive: true });
    expect(steward(["stacks", "--stacks-dir", join(dir, "stacks")])).toEqual({ code: 2, stdout: "", stderr: `steward: no Pulumi.<client>.yaml stack files in ${join(dir, "stacks")}\n` });
  });
});

describe("steward stacks --changed-since: which stacks a change touches", () => {
  it("a changed stack file selects that stack alone", () => {
    const dir = repository();
    write(dir, "stacks/Pulumi.bravo.yaml", `${stackYaml("bravo-corp")}  steward:endpoints: []\n`);
    commitAll(dir, "bravo's endpoints");
    expect(report(dir, "main")).toEqual({
      version: 1,
      changedSince: "main",
      stacks: [BRAVO],
      removed: [],
      reason: "1 stack file changed since main",
      changes: [{ path: "stacks/Pulumi.bravo.yaml", selects: "stack", stack: "bravo" }],
    });
  });

  it("documentation, tests and policy tests select no stack", () => {
    const dir = repository();
    write(dir, "README.md", "# MSP\n\nHow we deploy.\n");
    write(dir, "docs/runbook.md", "# Runbook\n");
    write(dir, "test/gate.test.ts", "export const changed = true;\n");
    write(dir, "policies/rules/antivirus/policy_test.rego", "package rules.antivirus_test\n\n# more\n");
    commitAll(dir, "docs and tests");
    expect(report(dir, "main")).toEqual({
      version: 1,
      changedSince: "main",
      stacks: [],
      removed: [],
      reason: "no stack: the 4 changes since main touch only documentation, tests and tooling",
      changes: [
        { path: "README.md", selects: "none" },
        { path: "docs/runbook.md", selects: "none" },
        { path: "policies/rules/antivirus/policy_test.rego", selects: "none" },
        { path: "test/gate.test.ts", selects: "none" },
      ],
    });
  });

  it("a policy, steward's code or the lock file selects every stack, naming the first such path", () => {
    const dir = repository();
    write(dir, "policies/rules/antivirus/policy.rego", "package rules.antivirus\n\n# stricter\n");
    write(dir, "core/gate.ts", "export const stricter = true;\n");
    write(dir, "package-lock.json", "{}\n");
    write(dir, "stacks/Pulumi.alpha.yaml", `${stackYaml("alpha")}# touched\n`);
    commitAll(dir, "a stricter gate");
    const { stacks, reason, changes } = report(dir, "main");
    expect({ stacks, reason, changes }).toEqual({
      stacks: [ALPHA, BRAVO, CHARLIE],
      reason: "every stack: core/gate.ts can change every client's deployment or verdict (and 2 more such paths)",
      changes: [
        { path: "core/gate.ts", selects: "every" },
        { path: "package-lock.json", selects: "every" },
        { path: "policies/rules/antivirus/policy.rego", selects: "every" },
        { path: "stacks/Pulumi.alpha.yaml", selects: "stack", stack: "alpha" },
      ],
    });
  });

  it("fails closed: a path the rule does not name selects every stack", () => {
    const dir = repository();
    write(dir, "Dockerfile", "FROM node:20\n");
    commitAll(dir, "a container");
    const { stacks, reason } = report(dir, "main");
    expect({ stacks, reason }).toEqual({ stacks: [ALPHA, BRAVO, CHARLIE], reason: "every stack: Dockerfile can change every client's deployment or verdict" });
  });

  it("a deleted stack file is listed as removed, and a renamed one as removed plus its new stack", () => {
    const dir = repository();
    git(dir, "rm", "--quiet", "stacks/Pulumi.alpha.yaml");
    git(dir, "mv", "stacks/Pulumi.bravo.yaml", "stacks/Pulumi.bravo-corp.yaml");
    commitAll(dir, "alpha leaves; bravo renamed");
    expect(report(dir, "main")).toEqual({
      version: 1,
      changedSince: "main",
      stacks: [{ stack: "bravo-corp", client: "bravo-corp", file: "stacks/Pulumi.bravo-corp.yaml" }],
      removed: [
        { stack: "alpha", file: "stacks/Pulumi.alpha.yaml" },
        { stack: "bravo", file: "stacks/Pulumi.bravo.yaml" },
      ],
      reason: "3 stack files changed since main (2 deleted)",
      changes: [
        { path: "stacks/Pulumi.alpha.yaml", selects: "stack", stack: "alpha" },
        { path: "stacks/Pulumi.bravo-corp.yaml", selects: "stack", stack: "bravo-corp" },
        { path: "stacks/Pulumi.bravo.yaml", selects: "stack", stack: "bravo" },
      ],
    });
  });

  it("counts uncommitted and untracked files, not ignored ones", () => {
    const dir = repository();
    write(dir, ".gitignore", "dist/\n");
    commitAll(dir, "ignore the build");
    write(dir, "stacks/Pulumi.alpha.yaml", `${stackYaml("alpha")}# edited, not committed\n`);
    write(dir, "stacks/Pulumi.delta.yaml", stackYaml("delta"));
    write(dir, "dist/index.js", "built\n");
    const { stacks, changes } = report(dir, "main");
    expect({ stacks, changes }).toEqual({
      stacks: [ALPHA, { stack: "delta", client: "delta", file: "stacks/Pulumi.delta.yaml" }],
      changes: [
        { path: ".gitignore", selects: "none" },
        { path: "stacks/Pulumi.alpha.yaml", selects: "stack", stack: "alpha" },
        { path: "stacks/Pulumi.delta.yaml", selects: "stack", stack: "delta" },
      ],
    });
  });

  it("what landed on REF after the branch forked is not the change's (REF...HEAD)", () => {
    const dir = repository();
    write(dir, "stacks/Pulumi.bravo.yaml", `${stackYaml("bravo-corp")}# the change\n`);
    commitAll(dir, "the change");
    git(dir, "checkout", "--quiet", "main");
    write(dir, "core/gate.ts", "export const meanwhile = true;\n");
    commitAll(dir, "meanwhile on main");
    git(dir, "checkout", "--quiet", "change");
    const { stacks, changes } = report(dir, "main");
    expect({ stacks, changes }).toEqual({ stacks: [BRAVO], changes: [{ path: "stacks/Pulumi.bravo.yaml", selects: "stack", stack: "bravo" }] });
  });

  it("nothing changed: no stack", () => {
    const { stacks, reason } = report(repository(), "main");
    expect({ stacks, reason }).toEqual({ stacks: [], reason: "nothing changed since main" });
  });

  it("a stacks folder elsewhere in the repository: only its own stack files are stacks", () => {
    const dir = repository();
    git(dir, "mv", "stacks", "clients");
    commitAll(dir, "stacks live in clients/");
    git(dir, "tag", "moved");
    write(dir, "clients/Pulumi.alpha.yaml", `${stackYaml("alpha")}# edited\n`);
    // A stack-file name outside the stacks folder is no stack: it may be anything, so every stack.
    write(dir, "Pulumi.alpha.yaml", stackYaml("alpha"));
    const { stacks, changes } = stacksReport({ stacksDir: join(dir, "clients"), changedSince: "moved" }).report;
    expect({ stacks: stacks.map((entry) => entry.file), changes }).toEqual({
      stacks: ["clients/Pulumi.alpha.yaml", "clients/Pulumi.bravo.yaml", "clients/Pulumi.charlie.yml"],
      changes: [
        { path: "Pulumi.alpha.yaml", selects: "every" },
        { path: "clients/Pulumi.alpha.yaml", selects: "stack", stack: "alpha" },
      ],
    });
  });
});

describe("steward stacks --changed-since: a git error exits 2 with what to do", () => {
  it("an unknown ref", () => {
    const dir = repository();
    expect(inputError(() => report(dir, "origin/main"))).toBe(
      `--changed-since origin/main: no such commit in ${dir} (in CI, fetch it first: actions/checkout with fetch-depth: 0, or git fetch)`,
    );
  });

  it("a ref with no common history (as in a shallow clone)", () => {
    const dir = repository();
    git(dir, "checkout", "--quiet", "--orphan", "unrelated");
    commitAll(dir, "no shared history");
    expect(inputError(() => report(dir, "main"))).toBe(`--changed-since main: it shares no history with HEAD in ${dir} (a shallow clone? fetch the whole history: fetch-depth: 0)`);
  });

  it("a ref that reads as an option", () => {
    expect(inputError(() => report(repository(), "--output=x"))).toBe("--changed-since --output=x: not a git ref");
  });

  it("a stacks folder outside any git work tree, from the CLI", () => {
    const dir = join(scratch, "outside-git");
    write(dir, "stacks/Pulumi.alpha.yaml", stackYaml("alpha"));
    expect(steward(["stacks", "--stacks-dir", join(dir, "stacks"), "--changed-since", "main"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "steward: --changed-since needs the stacks folder in a git work tree: " +
        `git rev-parse --show-toplevel failed in ${join(dir, "stacks")}: fatal: not a git repository (or any of the parent directories): .git\n`,
    });
  });
});

describe("steward stacks: the CLI's formats", () => {
  it("json is the report, for a matrix", () => {
    const dir = repository();
    git(dir, "rm", "--quiet", "stacks/Pulumi.alpha.yaml");
    write(dir, "stacks/Pulumi.bravo.yaml", `${stackYaml("bravo-corp")}# edited\n`);
    commitAll(dir, "alpha leaves");
    const { code, stdout } = steward(["stacks", "--stacks-dir", join(dir, "stacks"), "--changed-since", "main", "--format", "json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(report(dir, "main"));
    expect(JSON.parse(stdout).stacks).toEqual([BRAVO]);
  });

  it("table: a row per stack, the deleted stack files, and why", () => {
    const dir = repository();
    git(dir, "rm", "--quiet", "stacks/Pulumi.alpha.yaml");
    write(dir, "stacks/Pulumi.bravo.yaml", `${stackYaml("bravo-corp")}# edited\n`);
    commitAll(dir, "alpha leaves");
    expect(steward(["stacks", "--stacks-dir", join(dir, "stacks"), "--changed-since", "main"])).toEqual({
      code: 0,
      stdout:
        "STACK  CLIENT      FILE\n" +
        "-----  ----------  ------------------------\n" +
        "bravo  bravo-corp  stacks/Pulumi.bravo.yaml\n" +
        "removed: stacks/Pulumi.alpha.yaml (stack alpha): its resources stay until `pulumi destroy --stack alpha`; review it\n" +
        "why: 2 stack files changed since main (1 deleted)\n",
      stderr: "",
    });
  });

  it("table without a stack to run", () => {
    const dir = repository();
    expect(steward(["stacks", "--stacks-dir", join(dir, "stacks"), "--changed-since", "main"]).stdout).toBe("No stack.\nwhy: nothing changed since main\n");
  });

  it("a stack file without a client id shows '-'", () => {
    const dir = repository();
    expect(steward(["stacks", "--stacks-dir", join(dir, "stacks")]).stdout).toBe(
      "STACK    CLIENT      FILE\n" +
        "-------  ----------  -------------------------\n" +
        "alpha    alpha       stacks/Pulumi.alpha.yaml\n" +
        "bravo    bravo-corp  stacks/Pulumi.bravo.yaml\n" +
        "charlie  -           stacks/Pulumi.charlie.yml\n" +
        "why: every stack: no --changed-since\n",
    );
  });
});

describe("the change rule", () => {
  it("globs: ** is any folders (or anything, at the end), * stays within a name", () => {
    const matches = (glob: string, paths: string[]) => paths.filter((path) => globPattern(glob).test(path));
    const paths = ["README.md", "docs/a.md", "docs/deep/b.txt", "docsx/c", "policies/rules/av/policy_test.rego", "policies/rules/av/policy.rego", "a.mdx", "x/y.md"];
    expect(matches("**/*.md", paths)).toEqual(["README.md", "docs/a.md", "x/y.md"]);
    expect(matches("docs/**", paths)).toEqual(["docs/a.md", "docs/deep/b.txt"]);
    expect(matches("policies/**/*_test.rego", paths)).toEqual(["policies/rules/av/policy_test.rego"]);
    expect(matches("*.md", paths)).toEqual(["README.md"]);
    expect(globPattern("eslint.config.mjs").test("eslintXconfig.mjs")).toBe(false);
  });

  it("each kind of path", () => {
    const paths = [
      "stacks/Pulumi.alpha.yaml",
      "stacks/Pulumi.alpha.yml",
      "stacks/README.md",
      "stacks/notes.txt",
      "stacks/old/Pulumi.alpha.yaml",
      "Pulumi.yaml",
      "index.ts",
      "package.json",
      "tsconfig.json",
      "tsconfig.build.json",
      "cli/main.ts",
      "components/baseline.ts",
      "scripts/build-policies.mjs",
      "scripts/tools.mjs",
      "scripts/demo.mjs",
      ".github/workflows/steward-deploy.yml",
      "azure-pipelines.yml",
      "tools/pulumi/go.mod",
      "bench/run.ts",
      "fixtures/stacks/Pulumi.broken.yaml",
      ".ci/run",
      "vitest.config.mts",
      "BENCHMARKS.md",
    ];
    // A stack file selects its stack; any other path every stack or none.
    const selects = (change: ChangedPath) => (change.selects === "stack" ? change.stack : change.selects);
    expect(Object.fromEntries(paths.map((path) => [path, selects(classifyChange(path, "stacks"))]))).toEqual({
      "stacks/Pulumi.alpha.yaml": "alpha",
      "stacks/Pulumi.alpha.yml": "alpha",
      "stacks/README.md": "none",
      "stacks/notes.txt": "every",
      "stacks/old/Pulumi.alpha.yaml": "every",
      "Pulumi.yaml": "every",
      "index.ts": "every",
      "package.json": "every",
      "tsconfig.json": "every",
      "tsconfig.build.json": "every",
      "cli/main.ts": "every",
      "components/baseline.ts": "every",
      "scripts/build-policies.mjs": "every",
      "scripts/tools.mjs": "every",
      "scripts/demo.mjs": "none",
      ".github/workflows/steward-deploy.yml": "every",
      "azure-pipelines.yml": "every",
      "tools/pulumi/go.mod": "none",
      "bench/run.ts": "none",
      "fixtures/stacks/Pulumi.broken.yaml": "none",
      ".ci/run": "none",
      "vitest.config.mts": "none",
      "BENCHMARKS.md": "none",
    });
  });

  it("a stacks folder at the repository's top", () => {
    expect([classifyChange("Pulumi.alpha.yaml", ""), classifyChange("Pulumi.yaml", ""), classifyChange("sub/Pulumi.alpha.yaml", "")]).toEqual([
      { path: "Pulumi.alpha.yaml", selects: "stack", stack: "alpha" },
      { path: "Pulumi.yaml", selects: "every" },
      { path: "sub/Pulumi.alpha.yaml", selects: "every" },
    ]);
  });
});
