// Helpers of the front-desk browser tests: a static server of dist/ on a free port, Chromium's
// launch arguments, today's date as the page computes it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `python3 -m http.server` of `dir` on a free port: `{ origin, proc }`. */
export async function serve(dir) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: dir, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/front-desk.html`)).ok) return { origin, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`server at ${origin} did not start`);
}

/** Today, ISO, in this machine's time zone (the browser's). */
export function todayIso(now = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
