// Helpers shared by columns.test.mjs and bench/bench.mjs: records (facts objects) as the columns
// `policy.evaluateColumns` takes, typed where the input's type allows, and its result read back
// into `evaluateMany`'s form, one result per record.

const DAY_MS = 86400000;

/** An ISO date as days since 1970-01-01 (undefined for any other text). */
export function days(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  return t / DAY_MS;
}

/** A days number as an ISO date. */
export function isoDate(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** A fact as the whole number of its typed column, or undefined when it has none here. */
function encode(type, v) {
  const t = type.kind === 'optional' ? type.of : type;
  switch (t.kind) {
    case 'bool':
      return typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
    case 'int':
    case 'money':
      return Number.isSafeInteger(v) && Math.abs(v) < 2 ** 31 ? v : undefined;
    case 'date':
      return typeof v === 'string' ? days(v) : undefined;
    case 'enum': {
      const k = t.variants.indexOf(v);
      return k >= 0 ? k : undefined;
    }
    case 'set': {
      if (!Array.isArray(v) || t.of.variants.length > 32) return undefined;
      let mask = 0;
      for (const x of v) {
        const k = t.of.variants.indexOf(x);
        if (k < 0) return undefined;
        mask |= 1 << k;
      }
      return mask >>> 0;
    }
    default:
      return undefined;
  }
}

const ARRAYS = { bool: Uint8Array, int: Int32Array, money: Int32Array, date: Int32Array, enum: Uint8Array, set: Uint32Array };

/** The columns of `records` for `policy`: with `typed`, an input whose every value has a typed
 * form is `{ values: TypedArray, present: Uint8Array }`; any other is a plain array of the values
 * (`null` where left out). */
export function columnsOf(policy, records, typed = true) {
  const columns = {};
  for (const input of policy.inputs()) {
    const values = records.map((r) => r[input.name]);
    const kind = input.type.kind === 'optional' ? input.type.of.kind : input.type.kind;
    const ints = values.map((v) => (v === undefined ? 0 : encode(input.type, v)));
    if (typed && ARRAYS[kind] && ints.every((x) => x !== undefined)) {
      columns[input.name] = {
        values: ARRAYS[kind].from(ints),
        present: Uint8Array.from(values, (v) => (v === undefined ? 0 : 1)),
      };
    } else {
      columns[input.name] = values.map((v) => (v === undefined ? null : v));
    }
  }
  return columns;
}

/** Record `i` of an `evaluateColumns` result in `evaluateMany`'s form. */
export function recordOf(result, i, errorsByRow) {
  if (!result.ok[i]) return { error: errorsByRow.get(i) };
  const outputs = {};
  for (const [name, c] of Object.entries(result.outputs)) {
    if (c.present && !c.present[i]) {
      outputs[name] = null;
      continue;
    }
    switch (c.kind) {
      case 'bool': outputs[name] = c.values[i] === 1; break;
      case 'int': outputs[name] = Number(c.values[i]); break;
      case 'date': outputs[name] = isoDate(c.values[i]); break;
      case 'dictionary': outputs[name] = c.dictionary[c.indices[i]]; break;
      default: throw new Error(`unknown column kind ${c.kind}`);
    }
  }
  return { outputs };
}

/** Every record of a result in `evaluateMany`'s form. */
export function recordsOf(result) {
  const errorsByRow = new Map(result.errors.map((e) => [e.row, e.error]));
  return Array.from({ length: result.length }, (_, i) => recordOf(result, i, errorsByRow));
}
