// Builds dist/: the page, its stylesheet and its ES modules, copied as they are
// (no bundler, no external resources). URLs in index.html are relative, so the
// page works under any path prefix.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
cpSync(join(root, 'index.html'), join(dist, 'index.html'));
cpSync(join(root, 'style.css'), join(dist, 'style.css'));
for (const f of readdirSync(join(root, 'src'))) {
  if (f.endsWith('.js')) cpSync(join(root, 'src', f), join(dist, f));
}
console.log(`built ${readdirSync(dist).length} files into dist/`);
