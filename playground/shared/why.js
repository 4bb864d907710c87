// Reading a rule's "why" (or "why not") tree from the engine (`because` in an explanation), for both
// pages (the front desk imports this file as it is; the playground's bundle through src/explain.js).
// No DOM here, so Node unit tests import it as it is.

/**
 * The comparisons at the bottom of a "why" tree (`because`), each once, with the operator that holds
 * between their values: `受診日 2025-12-02 (令和7年12月2日) > 健康保険証の使用期限 2025-12-01 (令和7年12月1日)`.
 * A leaf that is not a comparison of two values is its expression and truth, `expr${sep}真` (`偽`).
 */
export function whyComparisons(w, sep = ' = ', out = new Set()) {
  if (!w) return out;
  if ((w.because ?? []).length === 0) {
    const side = (o) => (o.constant || o.text === undefined ? o.expr : `${o.expr} ${o.text}`);
    const [a, b] = w.operands ?? [];
    out.add(a && b && w.op_holds ? `${side(a)} ${w.op_holds} ${side(b)}` : `${w.expr}${sep}${w.holds ? '真' : '偽'}`);
  }
  for (const c of w.because ?? []) whyComparisons(c, sep, out);
  return out;
}
