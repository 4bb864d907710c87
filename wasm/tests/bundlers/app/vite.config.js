// `vite build` of the app: index.html is the entry; the package's `new URL('onshi_bg.wasm',
// import.meta.url)` makes Vite emit the .wasm as an asset beside the script.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  logLevel: 'warn',
  build: { outDir: process.env.OUT_DIR ?? 'dist-vite', emptyOutDir: true },
});
