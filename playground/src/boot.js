// Start compiling the WebAssembly module while the browser still loads and parses the playground's
// main script (playground.js picks the compiled module up; it falls back to loading it itself).
window.onshiModule = WebAssembly.compileStreaming(fetch('pkg/onshi_bg.wasm')).catch(() => null);
