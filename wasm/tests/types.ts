// Checked by `tsc -p wasm/tests/tsconfig.json` (in `cargo xtask test-web`): the package's types are
// precise (tagged unions, no `any` where a shape is known) and both builds share them.
import {
  Policy,
  check,
  checkCitations,
  defaultLimits,
  builtins,
  version,
  type Limits,
  type Diagnostic,
  type EvalResult,
  type InputSpec,
  type OnshiError,
  type OnshiType,
  type OutputValue,
  type ColumnsResult,
  type OutputValueOf,
  type TraceNode,
  type TraceWhy,
  type OutputSpec,
  type CitationReport,
  type Cite,
  type Documents,
  type PolicyInfo,
  type ManyResult,
  type Builtin,
} from "../pkg/node/onshi.js";
import init, { Policy as WebPolicy, type EvalResult as WebEvalResult } from "../pkg/web/onshi.js";

const names: string[] = Policy.bundledNames();
const builtinList: Builtin[] = builtins();
const builtinNames: string[] = builtinList.flatMap((b) => [b.ja, b.en, b.signature, b.doc, b.example]);
const digest: string | undefined = Policy.bundledDigest("r7/front_desk");
const policy: Policy = Policy.bundled(names[0] ?? "r7/front_desk");
const result: EvalResult = policy.evaluate({ 受診日: "2025-10-01", 提示書類: ["マイナ保険証"] }, { explain: true });
const outputs: { [name: string]: OutputValue } = result.outputs;
// @ts-expect-error evaluate's result is typed, not any
const notAString: string = result;
// @ts-expect-error facts are JSON-like values
policy.evaluate({ 受診日: new Date() });
// @ts-expect-error options are { explain?: boolean }
policy.evaluate({}, { explain: "yes" });
policy.evaluate({});

// evaluateMany: facts objects or their JSON text; per record outputs or the diagnostic.
const many: ManyResult[] = policy.evaluateMany([{ 受診日: "2025-10-01" }, {}]);
for (const r of many) {
  if (r.error) {
    const phase: "facts" | "eval" = r.error.phase;
    void phase;
  } else {
    const o: { [name: string]: OutputValue } = r.outputs;
    void o;
  }
}
policy.evaluateMany("[]");
// @ts-expect-error records are facts objects
policy.evaluateMany([1]);

// evaluateColumns: typed arrays (or plain arrays, or values with a presence mask) in, typed
// columns out.
const cols: ColumnsResult = policy.evaluateColumns(
  {
    受診日: Int32Array.of(20_000),
    オン資: Uint8Array.of(0),
    提示書類: { values: Uint8Array.of(1), present: Uint8Array.of(1) },
    カードリーダー故障: [false],
  },
  1,
);
for (const [name, c] of Object.entries(cols.outputs)) {
  if (c.kind === "dictionary") {
    const v: OutputValue | undefined = c.dictionary[c.indices[0] ?? 0];
    void v;
  } else if (c.kind === "int") {
    const yen: bigint | undefined = c.values[0];
    void yen;
  }
  void name;
}
for (const { row, error } of cols.errors) {
  const at: number = row;
  const phase: "facts" | "eval" = error.phase;
  void at, phase;
}
const ok: Uint8Array = cols.ok;
void ok;
// @ts-expect-error no float arrays
policy.evaluateColumns({ 受診日: Float64Array.of(1) });

// Limits: optional, every field optional; defaultLimits() has them all.
const limits: Required<Limits> = defaultLimits();
const steps: number = limits.maxSteps;
Policy.compile({ "a.onshi": "" }, "a.onshi", { maxSteps: steps, maxDepth: 100 });
Policy.bundled("r7/subsidy", { maxTableRows: 10 });
check({ "a.onshi": "" }, "a.onshi", {});
// @ts-expect-error limits are numbers
Policy.compile({ "a.onshi": "" }, "a.onshi", { maxSteps: "10" });
// @ts-expect-error no such limit
Policy.compile({ "a.onshi": "" }, "a.onshi", { maxStep: 10 });

/** A form control for an input: narrowing on the tagged union. */
function control(input: InputSpec): string {
  switch (input.kind) {
    case "bool":
      return `checkbox ${input.name}${input.required ? "" : ` default ${String(input.default satisfies boolean)}`}`;
    case "enum":
      return `radio ${input.type.variants.join("|")}${input.required ? "" : ` default ${input.default satisfies string}`}`;
    case "set":
      return `checkboxes ${input.type.of.variants.join("|")}${input.required ? "" : ` default ${(input.default satisfies string[]).join(",")}`}`;
    case "optional":
      return `optional ${input.type.of.kind}${input.required ? "" : ` default ${String(input.default)}`}`;
    case "date":
      return "date";
    case "int":
      // @ts-expect-error an integer input has no variants
      return input.type.variants;
    default:
      return input.type_text.ja;
  }
}
policy.inputs().map(control);

function describe(d: Diagnostic): string {
  switch (d.phase) {
    case "facts":
      return `${d.path}: ${d.message.ja}`;
    case "compile":
      return d.labels.map((l) => `${l.file}:${l.line}:${l.column} ${l.start}-${l.end} ${l.text.en}`).join("\n");
    case "eval":
      // @ts-expect-error only facts diagnostics have a path
      return d.path;
  }
}
check({ "a.onshi": "出力 x: 整数 = 1" }, "a.onshi").map(describe);
try {
  Policy.compile({ "a.onshi": "" }, "a.onshi");
} catch (e) {
  (e as OnshiError).diagnostics.map(describe);
}

function walk(node: TraceNode): string {
  if (node.kind === "input") return `${node.name} = ${node.text}`;
  const rules = node.rules?.applied.map((r) => `${r.kind} ${r.label ?? ""}`) ?? [];
  return [node.name, ...rules, ...(node.uses ?? []).map(walk)].join("\n");
}
Object.values(result.trace ?? {}).map(walk);

// Why a rule held or not: the comparison that held on the facts, with the values compared.
function reason(w: TraceWhy): string[] {
  const here =
    w.op_holds && w.operands
      ? w.operands.map((o) => (o.constant ? o.expr : `${o.expr}〔${o.text ?? ""}〕`)).join(` ${w.op_holds} `)
      : `${w.expr} = ${w.holds ? "真" : "偽"}`;
  return [here, ...(w.because ?? []).flatMap(reason)];
}
Object.values(result.trace ?? {}).flatMap((n) =>
  (n.rules?.not_applied ?? []).flatMap((r) => (r.because ? reason(r.because) : [])),
);
// @ts-expect-error holds is a boolean
const notHolds: string = ({} as TraceWhy).holds;

// Citations: where (place), the source's words (passages), external documents.
function citeLines(c: Cite): string[] {
  const where = `${c.source}（${c.external ? "外部: " : ""}${c.document}）${c.place ?? ""}`;
  return [where, ...c.passages.map((p: string) => `「${p}」`)];
}
Object.values(result.trace ?? {}).flatMap((n) => n.sources.flatMap(citeLines));
const info: PolicyInfo = policy.info();
const externalSources: string[] = info.sources.filter((s) => s.external).map((s) => s.name);
// @ts-expect-error passages are strings
const notPassages: number[] = ({} as Cite).passages;

// Checking citations against documents (file name → text).
const documents: Documents = { "000.txt": "補助率は1/2" };
check({ "a.onshi": "" }, "a.onshi", undefined, documents);
check({ "a.onshi": "" }, "a.onshi", null, documents);
const report: CitationReport = checkCitations({ "a.onshi": "" }, "a.onshi", documents, { maxNesting: 10 });
const { verified, external, unquoted, failed }: { verified: number; external: number; unquoted: number; failed: number } = report.counts;
const summary: string = report.summary.en;
report.diagnostics.map(describe);
// @ts-expect-error documents are texts
checkCitations({ "a.onshi": "" }, "a.onshi", { "000.txt": 1 });
// @ts-expect-error documents are required
checkCitations({ "a.onshi": "" }, "a.onshi");
// @ts-expect-error no such count
void report.counts.missing;
void [externalSources, notPassages, verified, external, unquoted, failed, summary];

function outputLabel(o: OutputSpec): string {
  switch (o.kind) {
    case "enum":
      return `${o.name}: ${o.type.variants.join(" | ")}`;
    case "optional":
      return `${o.name}: ${o.type.of.kind}?`;
    default:
      return `${o.name}: ${o.type_text.ja}`;
  }
}
policy.outputs().map(outputLabel);
const money: OutputValueOf<{ kind: "money" }> = 411000;
const optionalDate: OutputValueOf<{ kind: "optional"; of: { kind: "date" } }> = null;
const someType: OnshiType = { kind: "set", of: { kind: "enum", name: "書類", variants: ["a"], groups: [] } };
void [names, digest, outputs, notAString, money, optionalDate, someType, version(), builtinNames];

async function web(): Promise<WebEvalResult> {
  await init();
  return WebPolicy.bundled("r7/front_desk").evaluate({ 受診日: "2025-10-01", オン資: "導入済", 提示書類: [] });
}
void web;
