#!/usr/bin/env node
// Empties dist/ before `npm run build`: tsc never deletes what it emitted for a module that has
// since moved or gone, and Node resolves `./plan` to a stale dist/…/plan.js ahead of the
// plan/index.js that replaced it, so the CLI would silently run old code.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

rmSync(join(dirname(fileURLToPath(import.meta.url)), "..", "dist"), { recursive: true, force: true });
