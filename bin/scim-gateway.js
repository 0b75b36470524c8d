#!/usr/bin/env node
// The `scim-gateway` executable: loads tsx into this process (what `node --import tsx` does) and
// runs the TypeScript CLI, bin/scim-gateway.ts. No build step, and no extra process between the
// shell and the gateway, so signals reach it directly.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

import('tsx').then(
  () => import(pathToFileURL(path.join(__dirname, 'scim-gateway.ts')).href),
  () => {
    process.stderr.write('scim-gateway: "tsx" is not installed; run "npm ci" in the scim-gateway folder first.\n');
    process.exitCode = 1;
  },
);
