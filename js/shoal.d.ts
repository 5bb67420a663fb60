// Types of @shoal/engine (the browser/bundler entry `shoal.js` and the Node.js entry `node.js`
// export the same API).

/** How bad a finding is. */
export type Severity = 'error' | 'warning' | 'info';

/** A range of a file's text, in every unit a caller may need. */
export interface Span {
  /** 1-based line of the start. */
  line: number;
  /** 1-based column of the start, in UTF-16 code units (as the DOM and JavaScript count). */
  column: number;
  /** 1-based line of the end. */
  endLine: number;
  /** 1-based column of the end (exclusive), in UTF-16 code units. */
  endColumn: number;
  /** Start offset in UTF-16 code units: `text.slice(start, end)` is the span. */
  start: number;
  /** End offset (exclusive) in UTF-16 code units. */
  end: number;
  /** Start offset in bytes of the text's UTF-8 form. */
  byteStart: number;
  /** End offset (exclusive) in bytes of the text's UTF-8 form. */
  byteEnd: number;
}

/** Replace the span of the original text with `content` (an empty span inserts). */
export interface Edit extends Span {
  content: string;
}

/** A machine-applicable change: non-overlapping edits of one file's text. */
export interface Fix {
  title: string;
  /** `safe` fixes keep the author's intent; `unsafe` ones need review (see applyFixes' `unsafe`). */
  applicability: 'safe' | 'unsafe';
  edits: Edit[];
}

/** The Kubernetes object (or Dockerfile) a finding belongs to. */
export interface ObjectRef {
  /** 0-based index of the YAML document in its file (0 for Dockerfiles). */
  document: number;
  /** `Deployment`, `Service`, … or `Dockerfile`; empty for parse errors. */
  kind: string;
  namespace: string | null;
  name: string | null;
  container: string | null;
}

/** One problem found in one file. */
export interface Finding extends Span {
  /** Stable rule code, e.g. `GO001`; `PARSE` for YAML that cannot be parsed, `PRAGMA` for a bad suppression comment. */
  code: string;
  /** Stable rule name, e.g. `gomemlimit-missing`. */
  name: string;
  severity: Severity;
  /** Index of the file in the `files` given to analyze(). */
  file: number;
  /** Name of that file. */
  fileName: string;
  message: string;
  /** A short hint on what to do. */
  help: string;
  object: ObjectRef;
  fix: Fix | null;
}

/** A finding silenced by a `# shoal-ignore` comment. */
export interface SuppressedFinding extends Finding {
  reason: string | null;
  /** Where the suppression comment is. */
  pragma: Span;
}

/** A file to check: a name (a path or any label; `Dockerfile`, `*.Dockerfile`, `*.yaml` decide its kind) and its text. */
export interface SourceFile {
  name?: string;
  text: string;
}

/** Per-rule setting: on/off, a severity (which also turns the rule on), or both. */
export type RuleSetting =
  | boolean
  | 'on'
  | 'off'
  | Severity
  | { enabled?: boolean; severity?: Severity };

/** Analysis options: the engine configuration (as in `.shoal.yaml`). */
export interface Options {
  /** Settings by rule code, e.g. `{KS304: true, KS104: false, GO004: 'error'}`. */
  rules?: Record<string, RuleSetting>;
  /** The Go version to assume, e.g. `"1.22"` (overrides what a paired Dockerfile says). */
  goVersion?: string;
  /** Explicit image ↔ Dockerfile pairing. */
  pairs?: { image: string; dockerfile: string }[];
  /** Images to treat as Go services. */
  goImages?: string[];
  /** Images that are not Go services. */
  notGoImages?: string[];
  /** A `.shoal.yaml` text, read first; the other options apply on top of it. */
  configYaml?: string;
}

/** The result of analyze(). */
export interface Analysis {
  /** The engine version. */
  version: string;
  /** What each input file was read as, in input order. */
  files: { name: string; kind: 'manifest' | 'dockerfile' }[];
  /** Sorted by file, then position, then code. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

/** A rule, for listings and documentation. */
export interface Rule {
  code: string;
  name: string;
  severity: Severity;
  enabledByDefault: boolean;
  /** One line: what the rule finds. */
  summary: string;
  /** Whether the rule offers a machine-applicable fix. */
  fixable: boolean;
  /** The rule's documentation (Markdown). */
  docs: string;
}

/** What every function returns instead of throwing when its input is wrong. */
export interface ShoalError {
  error: {
    message: string;
    /** Where in the input, e.g. `files[2].text`. */
    path?: string;
  };
}

/** A fixed file: the new text and how many fixes were applied to it. */
export interface FixedFile {
  name: string;
  text: string;
  applied: number;
}

export interface FixResult {
  /** Every input file, in input order (changed or not). */
  files: FixedFile[];
  /** Fixes applied over all files and rounds. */
  applied: number;
}

export interface ApplyFixesSettings {
  /** Also apply fixes marked `unsafe` (default false). */
  unsafe?: boolean;
  /** The analysis options the findings were produced with. */
  options?: Options;
}

/**
 * Loads the wasm module once (browser build: fetched next to `shoal.js` unless given).
 * Rejects when the module cannot be fetched or compiled; the other functions never throw.
 */
export default function init(
  moduleOrPath?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

/** Whether init() has finished (always true in Node.js). */
export function isReady(): boolean;

/** Checks the files together (Dockerfiles are paired with the containers that run their image). */
export function analyze(files: SourceFile[], options?: Options | null): Analysis | ShoalError;

/**
 * Applies fixes, re-analysing and repeating until nothing changes (at most 10 rounds):
 * - `findingsOrCodes` omitted or null: every fix;
 * - an array of rule codes (`['GO001']`): every fix of those rules;
 * - an array of findings from analyze(): the fixes of those findings (matched again after each
 *   round by file, code, object and message).
 * A round that would make a file unparsable is dropped for that file.
 */
export function applyFixes(
  files: SourceFile[],
  findingsOrCodes?: (string | Finding)[] | string | null,
  settings?: ApplyFixesSettings,
): FixResult | ShoalError;

/** Every rule, in catalog order. */
export function rules(): Rule[] | ShoalError;

/** One rule's documentation, by code (`GO001`) or name (`gomemlimit-missing`). */
export function explain(code: string): Rule | ShoalError;

/** The URL fragment (without `#`) `w=<base64url(deflate(JSON {files}))>` that carries these files. */
export function encodeShare(files: SourceFile[]): { fragment: string } | ShoalError;

/** The files of a share fragment (`#w=…`, `w=…` or the bare payload); inflated size is capped at 4 MiB. */
export function decodeShare(fragment: string): { files: { name: string; text: string }[] } | ShoalError;

/** The engine and rule-set version. */
export const version: string;
