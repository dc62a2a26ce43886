// `npm start`: install what is missing, build the app, and serve it on localhost.
import { execSync } from 'node:child_process';
import { ensurePackages } from './ensure.mjs';

ensurePackages();
execSync('npx vite build', { stdio: 'inherit' });
const { preview } = await import('vite');
const server = await preview({ preview: { port: Number(process.env.PORT ?? 4173), strictPort: false } });
const url = server.resolvedUrls?.local[0] ?? 'http://localhost:4173/';
console.log(`\nLoopbench is running at ${url}\nThe penguins sample project is ready on first open. Press Ctrl+C to stop.`);
