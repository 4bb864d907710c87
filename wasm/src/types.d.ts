/** A message in both languages. */
export interface Text {
  ja: string;
  en: string;
}

/** A built-in function of the language (`builtins()`), from the interpreter's table. */
export interface Builtin {
  /** The Japanese name (`切り捨て`). */
  ja: string;
  /** The English alias (`round_down`). */
  en: string;
  /** `切り捨て(値, 単位) → rounded down to a multiple of 単位` */
  signature: string;
  /** What it returns (`rounded down to a multiple of 単位`). */
  doc: string;
  /** A call and, where it helps, its value (`切り捨て(123,456円, 1000円) = 123,000円`). */
  example: string;
}

/** A place in a policy source: 1-based line, column in characters. */
export interface At {
  file: string;
  line: number;
  column: number;
}

/** A 出典 citation: which source, and where in its document. */
export interface Cite {
  /** The source's name in the policy (`周知依頼`). */
  source: string;
  /** The document's file name (`000_f7c3df111ed24c00.txt`), or for an external source what the
   * policy says it is. */
  document: string;
  title: string | null;
  /** The source was declared `外部` (`external`): a document the project does not have, so its
   * passages cannot be checked against it. */
  external: boolean;
  /** The locator as written (`別添4 スライド10「…」`). */
  locator: string | null;
  /** The locator without its quoted passages (`別添4 スライド10`): where in the document. */
  place: string | null;
  /** The passages the citation quotes in 「…」: the document's own words, without the brackets. */
  passages: string[];
}

/** One label of a diagnostic: the text it points at, as a UTF-8 byte range (`start`..`end`), the
 * same range in UTF-16 code units (JavaScript string indexes), and line/column of both ends. */
export interface Label {
  file: string;
  start: number;
  end: number;
  start_utf16: number;
  end_utf16: number;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  text: Text;
  primary: boolean;
}

interface DiagnosticBase {
  /** Stable, e.g. `onshi::type::mismatch`. */
  code: string;
  severity: "error" | "warning";
  message: Text;
  help: Text | null;
  labels: Label[];
}
/** From parsing and checking a policy (`check`, `Policy.compile`, `Policy.bundled`). */
export interface CompileDiagnostic extends DiagnosticBase {
  phase: "compile";
}
/** Bad facts given to `evaluate`; `path` names the field (`"$.受診日"`, `"$.提示書類[1]"`). */
export interface FactsDiagnostic extends DiagnosticBase {
  phase: "facts";
  severity: "error";
  path: string;
}
/** An evaluation error (no rule applies, a conflict, a table without a matching row, …). */
export interface EvalDiagnostic extends DiagnosticBase {
  phase: "eval";
  severity: "error";
}
/** Diagnostics as data, tagged by `phase`. */
export type Diagnostic = CompileDiagnostic | FactsDiagnostic | EvalDiagnostic;

/** What `Policy.compile`, `Policy.bundled` and `policy.evaluate` throw: an `Error` whose message is
 * the first diagnostic's (Japanese) message, with every diagnostic attached. */
export interface OnshiError extends Error {
  diagnostics: Diagnostic[];
}

/** An enumeration type: its variants in order and its named groups (群). */
export interface EnumType {
  kind: "enum";
  name: string;
  variants: string[];
  groups: { name: string; variants: string[] }[];
}
/** The types a value can have, other than optional. */
export type PresentType =
  | { kind: "bool" }
  | { kind: "int" }
  | { kind: "money" }
  | { kind: "ratio" }
  | { kind: "decimal" }
  | { kind: "date" }
  | { kind: "duration" }
  | { kind: "text" }
  | EnumType
  | { kind: "set"; of: EnumType }
  | { kind: "row"; table: string; columns: { name: string; type: OnshiType }[] };
/** onshi types, tagged by `kind` (`任意<T>` is `optional`, never nested). */
export type OnshiType = PresentType | { kind: "optional"; of: PresentType };
export type TypeKind = OnshiType["kind"];

/** Any value in results (policy-interfaces.md): money as integer yen, ratios as `"1/2"`, dates as
 * `"2025-12-01"`, enumerations by variant name, sets as arrays, an absent optional as `null`. */
export type OutputValue =
  | boolean
  | number
  | string
  | string[]
  | null
  | { [column: string]: OutputValue };

/** The result form of a value of type `T`. */
export type OutputValueOf<T extends OnshiType> = T extends { kind: "bool" }
  ? boolean
  : T extends { kind: "int" }
    ? number
    : T extends { kind: "money" | "decimal" }
      ? number | string
      : T extends { kind: "ratio" | "date" | "duration" | "text" | "enum" }
        ? string
        : T extends { kind: "set" }
          ? string[]
          : T extends { kind: "optional"; of: infer U extends PresentType }
            ? OutputValueOf<U> | null
            : T extends { kind: "row" }
              ? { [column: string]: OutputValue }
              : never;

/** The facts form of a value of type `T`: money also as `"41.1万円"`, dates also as 和暦
 * (`"令和7年12月1日"`), ratios as `"75%"` or a number. */
export type FactValueOf<T extends OnshiType> = T extends { kind: "bool" }
  ? boolean
  : T extends { kind: "int" | "money" | "ratio" | "decimal" }
    ? number | string
    : T extends { kind: "date" | "duration" | "text" | "enum" }
      ? string
      : T extends { kind: "set" }
        ? string[]
        : T extends { kind: "optional"; of: infer U extends PresentType }
          ? FactValueOf<U> | null
          : never;

/** Any fact value. */
export type FactValue = boolean | number | string | string[] | null;
/** Facts: input name → value; inputs with a default may be left out. */
export type Facts = { [input: string]: FactValue };

interface InputBase {
  name: string;
  /** The type as the policy writes it (`集合<提示書類>`), in both languages. */
  type_text: Text;
  sources: Cite[];
  at: At;
}
/** One input of a policy, tagged by `kind` (its type's kind, so `switch (input.kind)` narrows
 * `type` and `default`); `default` (in the result form) exists exactly when `required` is false. */
export type InputSpec = {
  [K in TypeKind]: InputBase & { kind: K; type: Extract<OnshiType, { kind: K }> } & (
      | { required: true }
      | { required: false; default: OutputValueOf<Extract<OnshiType, { kind: K }>> }
    );
}[TypeKind];

/** A 原則/例外 rule of an output; `kind` is English like every tag of the package's data. */
export interface RuleSpec {
  kind: "principle" | "exception";
  label: string | null;
  sources: Cite[];
  at: At;
}
interface OutputBase {
  name: string;
  type_text: Text;
  sources: Cite[];
  at: At;
  /** For an output written as 原則/例外, its rules in the order written. */
  rules: RuleSpec[];
}
/** One output of a policy, tagged by `kind` (its type's kind). */
export type OutputSpec = {
  [K in TypeKind]: OutputBase & { kind: K; type: Extract<OnshiType, { kind: K }> };
}[TypeKind];

/** A rule in an explanation: applied, or not (and then whether it applied but lost). Its `kind`
 * is English, like every tag of the trace: `"principle"` (原則) or `"exception"` (例外). */
export interface TraceRule {
  kind: "principle" | "exception";
  label: string | null;
  applicable: boolean;
  at: At;
  sources: Cite[];
  /** For a rule with a condition (or an unconditional rule with a computed truth value): why it
   * held, or why not. */
  because?: TraceWhy;
}
/** Why a condition (or a part of it) has the truth value it has on these facts. */
export interface TraceWhy {
  /** The expression as written (`受診日 ≤ 健康保険証の使用期限`). */
  expr: string;
  holds: boolean;
  at: At;
  /** For a comparison or membership: the operator as written … */
  op?: string;
  /** … and the one that holds between the operands (`>` when `≤` does not). */
  op_holds?: string;
  /** The values compared: a constant as written, or an expression with its value. */
  operands?: TraceOperand[];
  /** When the expression is a 真偽 definition: its name, line and 出典. */
  definition?: { name: string; at: At; sources: Cite[] };
  /** The parts that decided it: for a failed `と`, the parts that failed; for a failed `または`,
   * every part; for a definition, the parts of its body or the rules that gave its value. */
  because?: TraceWhy[];
}
export interface TraceOperand {
  expr: string;
  value?: OutputValue;
  /** The readable value (`2025-12-02 (令和7年12月2日)`). */
  text?: string;
  /** Written as a literal in the policy. */
  constant?: boolean;
}
/** A table row that matched. */
export interface TraceRow {
  table: string;
  /** 1-based */
  row: number;
  at: At;
  sources: Cite[];
}
/** An input an output was computed from. */
export interface TraceInput {
  kind: "input";
  name: string;
  value: OutputValue;
  /** The readable form (`411,000円`, `2025-12-01 (令和7年12月1日)`). */
  text: string;
  at: At;
  sources: Cite[];
}
/** An output or definition and what it was computed from. */
export interface TraceDefinition {
  kind: "output" | "definition";
  name: string;
  value?: OutputValue;
  text?: string;
  /** The error code, when this definition failed. */
  error?: string;
  at: At;
  sources: Cite[];
  /** Shown in full earlier in the same tree. */
  repeated?: true;
  /** Deeper than 64 definitions: shown without what it was computed from. */
  truncated?: true;
  rules?: { applied: TraceRule[]; not_applied: TraceRule[] };
  rows?: TraceRow[];
  uses?: TraceNode[];
}
/** A node of an explanation tree, tagged by `kind`. */
export type TraceNode = TraceInput | TraceDefinition;

/** Limits a policy is compiled and evaluated under (`Policy.compile`, `Policy.bundled`, `check`);
 * a field left out takes its default (`defaultLimits()`), the same as the `onshi` CLI's
 * `--max-…` options. Exceeding one is a diagnostic with its code. Each is at least 1;
 * `maxNesting` is at most 64 and `maxDepth` at most 512 (the stack cannot grow in WASM). */
export interface Limits {
  /** Bytes of one source file (`onshi::syntax::too_large`); default 1 MiB. */
  maxSourceBytes?: number;
  /** Brackets and `もし`/`場合`/`not`/`任意<`/`集合<` open at once (`onshi::syntax::too_deep`); default 48. */
  maxNesting?: number;
  /** Depth of an expression, and of evaluation through tables looked up inside table cells
   * (`onshi::syntax::too_deep`, `onshi::limit::depth`); default 256. */
  maxDepth?: number;
  /** `定義` and `出力` of the program, imports included (`onshi::limit::definitions`); default 2000. */
  maxDefinitions?: number;
  /** Rows of one table (`onshi::limit::table_rows`); default 2000. */
  maxTableRows?: number;
  /** Expression nodes evaluated for one set of facts (`onshi::limit::steps`, thrown by
   * `evaluate`); default 1000000. */
  maxSteps?: number;
}

export interface EvaluateOptions {
  /** Also return `trace`, the explanation of every output (as `onshi eval --explain`). */
  explain?: boolean;
}
/** The same JSON as `onshi eval --format json` (with `--explain`: `trace`). */
export interface EvalResult {
  outputs: { [output: string]: OutputValue };
  trace?: { [output: string]: TraceDefinition };
}

/** One record's result from `evaluateMany`: its outputs, exactly as `evaluate` gives them, or the
 * diagnostic `evaluate` would throw for it (bad facts, or an evaluation error). */
export type ManyResult =
  | { outputs: { [output: string]: OutputValue }; error?: never }
  | { error: FactsDiagnostic | EvalDiagnostic; outputs?: never };

/** A column of whole numbers for `evaluateColumns`: 真偽 0/1, 整数 and 金額 (yen), 日付 as days
 * since 1970-01-01, an enumeration's variant index (declaration order, `inputs()`), a set as a bit
 * mask (bit k = variant k). Never a float array. */
export type IntegerArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;
/** One input's values for `evaluateColumns`: typed (see `IntegerArray`), or a plain array of the
 * values' facts forms (`null`: left out); with `present`, a value whose byte is 0 is left out (the
 * input's default applies, or the record is missing a required input). */
export type InputColumn =
  | IntegerArray
  | (FactValue | undefined)[]
  | { values: IntegerArray | (FactValue | undefined)[]; present?: Uint8Array };
/** Input name → column; an input without a column is left out in every record. */
export type InputColumns = { [input: string]: InputColumn };

/** One output's values from `evaluateColumns` (a record with an error holds 0 in each). `present`
 * (only for an optional output): 0 where the value is absent (`null` in `evaluate`). */
export type OutputColumnData = (
  | { kind: "bool"; values: Uint8Array }
  /** 整数, and 金額 in whole yen. */
  | { kind: "int"; values: BigInt64Array }
  /** 日付: days since 1970-01-01. */
  | { kind: "date"; values: Int32Array }
  /** Any other type: record i's value (as `evaluate` gives it) is `dictionary[indices[i]]`; for an
   * enumeration, `dictionary` is its variants and `indices` the variant indices. */
  | { kind: "dictionary"; indices: Uint32Array; dictionary: OutputValue[] }
) & { present?: Uint8Array };

/** What `evaluateColumns` returns: per record, `ok[i]` is 1 when it has its outputs, 0 when it
 * has an error; `errors` lists those records in order with the diagnostic `evaluateMany` gives
 * them (or `onshi::wasm::not_whole_yen`, for a 金額 output that is not whole yen). */
export interface ColumnsResult {
  length: number;
  ok: Uint8Array;
  errors: { row: number; error: FactsDiagnostic | EvalDiagnostic }[];
  outputs: { [output: string]: OutputColumnData };
}

/** An example (例) of a policy as a case any engine can run. */
export interface Example {
  name: string;
  at: At;
  facts: Facts;
  /** Expected outputs, in the result form. */
  expect: { [output: string]: OutputValue };
  /** Expected values of definitions that are not outputs. */
  expect_definitions: { [definition: string]: OutputValue };
  /** The readings (解釈) it assumes, reading → option; present only when it assumes one the
   * policy does not adopt. This package evaluates the adopted readings only, so it cannot run
   * such an example (`onshi test` can). */
  readings?: { [reading: string]: string };
}

/** The policy's header. */
export interface PolicyInfo {
  name: string | null;
  fiscal_year: number | null;
  /** `issuer`, `date`, `number`: what people know the document by, quoted from it (when declared). */
  sources: { name: string; document: string; title: string | null; external: boolean; issuer?: string; date?: string; number?: string }[];
}

/** Policy sources: path → text. Imports (`取込 "../common/facility.onshi"`) resolve against the
 * importing file's path, inside this map. */
export type Files = { [path: string]: string };

/** Documents for checking citations: the file name a `出典 名前 = "file"` declaration gives → the
 * document's text (`check`, `checkCitations`). */
export type Documents = { [fileName: string]: string };

/** How many citations `checkCitations` found in each state. */
export interface CitationCounts {
  /** Every passage quoted was found in the document. */
  verified: number;
  /** Cites a source declared `外部`: not checked. */
  external: number;
  /** Cites a document at hand but quotes nothing (`onshi::source::unquoted`, a warning). */
  unquoted: number;
  /** A passage was not found (`onshi::source::not_found`) or the document is missing
   * (`onshi::source::missing_document`). */
  failed: number;
}

/** What `checkCitations` returns. */
export interface CitationReport {
  /** The citation diagnostics only (`onshi::source::*`); `check` gives the compiler's. */
  diagnostics: CompileDiagnostic[];
  counts: CitationCounts;
  /** The counts as a sentence, as `onshi check --sources` prints it. */
  summary: Text;
}
