#!/usr/bin/env node
"use strict";
// The built CLI lives in dist/ (`npm run build`, run by `npm install`).
require("../dist/cli/main.js").run(process.argv.slice(2));
