// CI guard: the Action runs the committed dist/, so after `npm run build` it must be
// byte-identical to what is committed. Any difference means src/ changed without a rebuild.
import { execFileSync } from 'node:child_process';

let status;
try {
  status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist'], { encoding: 'utf8' });
} catch {
  console.log('check-dist: not a git checkout; skipped');
  process.exit(0);
}
if (status.trim() !== '') {
  console.error('dist/ is out of sync with src/ (the Action runs dist/):\n' + status + 'Run `npm run build` and commit dist/.');
  process.exit(1);
}
console.log('check-dist: dist/ matches src/');
