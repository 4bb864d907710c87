// Records for the tests that hold one evaluation route to another (many.test.mjs,
// columns.test.mjs): a policy's examples and the examples varied field by field.

/** Odd values for a field: each type's reader refuses most of them, for some type. */
export const ODD = [null, true, 0, -1, 1.5, 'x', '', '令和7年12月1日', '2025-02-30', '41.1万円', [], ['x'], {}];

/** The policy's examples, each with every field left out, each field set to each of `odd`, and
 * (with `unknown`) an unknown field added. */
export function variations(policy, { odd = ODD, unknown = false } = {}) {
  const out = [];
  for (const { facts } of policy.examples()) {
    out.push(facts);
    for (const key of Object.keys(facts)) {
      const { [key]: _, ...without } = facts;
      out.push(without);
      for (const v of odd) out.push({ ...facts, [key]: v });
    }
    if (unknown) out.push({ ...facts, 存在しない入力: 1 });
  }
  return out;
}
