// `webpack` (5, production) of the same app: src/main.js is the entry; the package's
// `new URL('onshi_bg.wasm', import.meta.url)` makes webpack emit the .wasm as an asset. The page is
// index.html with its script tag pointed at the bundle (no HTML plugin needed).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

class EmitPage {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('EmitPage', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'EmitPage', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const html = readFileSync(path.join(here, 'index.html'), 'utf8').replace(
          '<script type="module" src="./src/main.js"></script>',
          '<script defer src="./main.js"></script>',
        );
        compilation.emitAsset('index.html', new compiler.webpack.sources.RawSource(html));
      });
    });
  }
}

export default {
  mode: 'production',
  context: here,
  entry: './src/main.js',
  output: { path: path.resolve(here, process.env.OUT_DIR ?? 'dist-webpack'), filename: 'main.js', clean: true },
  plugins: [new EmitPage()],
  // The module is 1.3 MB by design (loaded once, cached); keep webpack's size hints for the JS.
  performance: { assetFilter: (file) => !file.endsWith('.wasm') },
  stats: 'errors-warnings',
};
