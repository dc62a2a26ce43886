// `npm test`: install what is missing, then type-check and run every test: unit, integration and
// end-to-end in Debian's Chromium.
import { execSync } from 'node:child_process';
import { ensureChromium, ensurePackages } from './ensure.mjs';

ensurePackages();
ensureChromium();

const steps = [
  ['Type-check', 'npm run check'],
  ['Unit and integration tests', 'npx vitest run --project unit --project integration'],
  ['End-to-end tests', 'npx vitest run --project e2e'],
];
for (const [title, command] of steps) {
  console.log(`\n=== ${title}: ${command}`);
  try {
    execSync(command, { stdio: 'inherit' });
  } catch {
    console.error(`\n${title} failed.`);
    process.exit(1);
  }
}
console.log('\nAll checks passed.');
