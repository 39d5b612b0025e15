#!/usr/bin/env node
// Entry point for the `incident-bot` command. A production install runs the compiled `dist/`; a source checkout
// runs `src/` through tsx, so `npm start` and `npx incident-bot` work without a build step.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli.ts');
const compiled = join(root, 'dist', 'cli.js');

async function load() {
  if (existsSync(source)) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
      return import(pathToFileURL(source).href);
    } catch (error) {
      if (!existsSync(compiled)) throw error;
    }
  }
  return import(pathToFileURL(compiled).href);
}

const cli = await load();
await cli.main(process.argv.slice(2));
