// The front-desk app of a vendor, written as the package's README says (wasm/README.md, "Using the
// package with a bundler"): import the package by name, initialise once, evaluate.
import init, { Policy } from 'onshi';

async function main() {
  const out = /** @type {HTMLOutputElement} */ (document.getElementById('method'));
  try {
    await init();
    const frontDesk = Policy.bundled('r7/front_desk');
    const { outputs } = frontDesk.evaluate({ 受診日: '2025-10-01', オン資: '導入済', 提示書類: ['マイナ保険証'] });
    out.textContent = String(outputs.確認方法);
    document.body.dataset.ready = 'true';
  } catch (e) {
    out.textContent = `error: ${e}`;
    document.body.dataset.ready = 'false';
  }
}

main();
