// Copies the non-TypeScript files the compiled code reads at run time (SQL migrations, console HTML/CSS) from
// src/ to dist/, keeping their relative paths. Run by `npm run build` after `tsc`.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const ASSETS = new Set(['.sql', '.html', '.css']);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

let copied = 0;
for (const file of walk(src)) {
  if (!ASSETS.has(extname(file))) continue;
  const target = join(dist, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  copied += 1;
}
process.stdout.write(`copied ${copied} asset files to dist/\n`);
