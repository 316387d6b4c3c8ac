/**
 * Type-checks a flow file against the flow API with the TypeScript compiler API, transpiles it and
 * imports it. This is the I/O edge of the IVR: everything here touches the file system.
 *
 * How flow files import the API: `import { defineFlow, … } from '../src/ivr/index.js'` — the path
 * that is correct for `ivr-flows/*.ts` in the repository, so editors and `tsc -p tsconfig.json`
 * check them too. The loader does not rely on where the file lives: any specifier ending in
 * `src/ivr`, `src/ivr/index`, `src/ivr/index.js` or `src/ivr/index.ts` is bound
 *   - for type checking, to the API source (`src/ivr/index.ts`, found next to this module when run
 *     with tsx, or under `<repo>/src/ivr/` when run compiled from `dist/src/flow-loader/`), and
 *   - at run time, to the very module instance the service itself uses (`../ivr/index.ts` under
 *     tsx/vitest, `../ivr/index.js` in dist/).
 * Flow files may import nothing else (no node:fs, no other flows): they are data plus small hooks.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as TS from 'typescript';
import { ts } from './typescript.js';

export interface SourceProblem {
  /** Absolute path. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface FlowApiLocation {
  /** Absolute path of the API's TypeScript entry used for type checking. */
  readonly typesFile: string;
  /** URL the transpiled flow imports at run time. */
  readonly runtimeUrl: string;
}

/** Specifiers a flow file may use to import the flow API. */
export const API_SPECIFIER_RE = /(^|\/)src\/ivr(\/index(\.[cm]?[jt]s)?)?$/;

export function isApiSpecifier(specifier: string): boolean {
  return API_SPECIFIER_RE.test(specifier);
}

/** Finds the flow API for type checking and for run time, from this module's own location. */
export function locateFlowApi(fromUrl: string = import.meta.url): FlowApiLocation {
  const compiled = !/\.[cm]?ts$/.test(new URL(fromUrl).pathname);
  const runtimeUrl = new URL(`../ivr/index.${compiled ? 'js' : 'ts'}`, fromUrl).href;
  const candidates = [
    new URL('../ivr/index.ts', fromUrl),
    // dist/src/flow-loader/compile.js → <repo>/src/ivr/index.ts (rootDir '.', outDir 'dist')
    new URL('../../../src/ivr/index.ts', fromUrl),
    new URL('../ivr/index.d.ts', fromUrl),
  ].map((u) => fileURLToPath(u));
  const typesFile = candidates.find((f) => existsSync(f));
  if (!typesFile) {
    throw new Error(
      `flow API source not found (looked for ${candidates.join(', ')}); flows cannot be type-checked`,
    );
  }
  return { typesFile, runtimeUrl };
}

export const FLOW_COMPILER_OPTIONS: TS.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  noEmit: true,
  allowJs: false,
};

function problemAt(
  sf: TS.SourceFile,
  pos: number,
  message: string,
  severity: SourceProblem['severity'] = 'error',
): SourceProblem {
  const { line, character } = sf.getLineAndCharacterOfPosition(Math.max(0, Math.min(pos, sf.text.length)));
  return { file: sf.fileName, line: line + 1, column: character + 1, message, severity };
}

/**
 * The most specific message of a diagnostic chain: for a mistyped step target that is
 * "Type '"suport"' is not assignable to type '"sales" | "support" | …'. Did you mean '"support"'?"
 * rather than the outer "MenuStep<…> is not assignable to Step<…>".
 */
function leafMessage(text: string | TS.DiagnosticMessageChain): string {
  let chain = text;
  while (typeof chain !== 'string' && chain.next && chain.next.length > 0 && chain.next[0])
    chain = chain.next[0];
  const leaf = typeof chain === 'string' ? chain : chain.messageText;
  if (typeof text !== 'string' && chain !== text && / is not assignable to /.test(text.messageText))
    return leaf;
  return typeof text === 'string' ? text : ts.flattenDiagnosticMessageText(text, ' ');
}

/** For "Type '"x"' is not assignable", moves the position from the step to the literal 'x' inside it. */
function refinePosition(sf: TS.SourceFile, start: number, message: string): number {
  const m = /^Type '"([^"]+)"' is not assignable/.exec(message);
  if (!m) return start;
  let found = start;
  const visit = (node: TS.Node): boolean => {
    if (node.end < start) return false;
    if (node.getStart(sf) === start && ts.isPropertyAssignment(node)) {
      const inner = (n: TS.Node): boolean => {
        if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && n.text === m[1]) {
          found = n.getStart(sf);
          return true;
        }
        return ts.forEachChild(n, inner) ?? false;
      };
      return inner(node.initializer);
    }
    return ts.forEachChild(node, visit) ?? false;
  };
  visit(sf);
  return found;
}

/** Imports other than the flow API (static, dynamic, require, re-exports) are refused. */
export function importProblems(sf: TS.SourceFile): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const refuse = (node: TS.Node, spec: string) =>
    problems.push(
      problemAt(
        sf,
        node.getStart(sf),
        `flows may only import the flow API ('../src/ivr/index.js'), not '${spec}'`,
      ),
    );
  const visit = (node: TS.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const spec = ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : node.moduleSpecifier.getText(sf);
      if (!isApiSpecifier(spec)) refuse(node, spec);
    } else if (ts.isImportEqualsDeclaration(node)) {
      refuse(node, node.moduleReference.getText(sf));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      refuse(node, node.arguments[0]?.getText(sf) ?? 'import()');
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'require'
    ) {
      refuse(node, node.arguments[0]?.getText(sf) ?? 'require()');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return problems;
}

/**
 * Type checker for flow files. Keeps lib and API source files cached between checks (re-read
 * when their mtime changes) so a reload takes milliseconds, not seconds.
 */
export class FlowTypeChecker {
  private readonly cache = new Map<string, { mtimeMs: number; sf: TS.SourceFile }>();
  private oldProgram: TS.Program | undefined;
  private fingerprint: { files: string; hash: string } | undefined;
  readonly api: FlowApiLocation;
  /** The folder of the flow API's sources: a check that reads nothing else depends on them alone. */
  readonly apiDir: string;

  constructor(api: FlowApiLocation = locateFlowApi()) {
    this.api = api;
    this.apiDir = path.dirname(path.resolve(api.typesFile));
  }

  /**
   * What a check's answer depends on besides the flow's text: the compiler's version, its options, and
   * every source file of the flow API (`*.ts` under `apiDir`, by path and content). Read again only when
   * a file's size or mtime changed.
   */
  apiFingerprint(): string {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && entry.name.endsWith('.ts')) files.push(full);
      }
    };
    walk(this.apiDir);
    files.sort();
    const stamp = files
      .map((f) => {
        const st = statSync(f);
        return `${f}:${st.size}:${st.mtimeMs}`;
      })
      .join('\n');
    if (this.fingerprint?.files === stamp) return this.fingerprint.hash;
    const hash = createHash('sha256').update(
      `typescript ${ts.version}\0${JSON.stringify(FLOW_COMPILER_OPTIONS)}\0`,
    );
    for (const f of files)
      hash
        .update(`${path.relative(this.apiDir, f)}\0`)
        .update(readFileSync(f))
        .update('\0');
    this.fingerprint = { files: stamp, hash: hash.digest('hex') };
    return this.fingerprint.hash;
  }

  /** Parses `text` as `fileName`. */
  parse(fileName: string, text: string): TS.SourceFile {
    return ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  }

  /** Syntax, type and import problems of one flow file (given its current text). */
  check(fileName: string, text: string): SourceProblem[] {
    return this.checkAgainstApi(fileName, text).problems;
  }

  /**
   * `check`, and whether the program it built read nothing but the flow file, the compiler's own lib files
   * and the flow API's sources: only then does `apiFingerprint` stand for everything the answer rests on.
   */
  checkAgainstApi(fileName: string, text: string): { problems: SourceProblem[]; apiOnly: boolean } {
    const options = FLOW_COMPILER_OPTIONS;
    const host = ts.createCompilerHost(options, true);
    const flowSf = this.parse(fileName, text);
    const baseGetSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
      if (path.resolve(name) === path.resolve(fileName)) return flowSf;
      let mtimeMs = -1;
      try {
        mtimeMs = statSync(name).mtimeMs;
      } catch {
        // lib files inside typescript are always there; missing files fall through to the host
      }
      const hit = this.cache.get(name);
      if (hit && hit.mtimeMs === mtimeMs) return hit.sf;
      const sf = baseGetSourceFile(name, languageVersion, onError, shouldCreate);
      if (sf) this.cache.set(name, { mtimeMs, sf });
      return sf;
    };
    const api = this.api;
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, opts) =>
      literals.map((lit) => {
        if (path.resolve(containingFile) === path.resolve(fileName) && isApiSpecifier(lit.text)) {
          return {
            resolvedModule: {
              resolvedFileName: api.typesFile,
              extension: api.typesFile.endsWith('.d.ts') ? ts.Extension.Dts : ts.Extension.Ts,
              isExternalLibraryImport: false,
            },
          };
        }
        return ts.resolveModuleName(lit.text, containingFile, opts, host, undefined, redirectedReference);
      });
    const program = ts.createProgram({ rootNames: [fileName], options, host, oldProgram: this.oldProgram });
    this.oldProgram = program;
    const sf = program.getSourceFile(fileName) ?? flowSf;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(sf),
      ...program.getSemanticDiagnostics(sf),
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
    ];
    const problems: SourceProblem[] = diagnostics.map((d) => {
      const message = leafMessage(d.messageText);
      if (d.file && d.start !== undefined)
        return problemAt(d.file, refinePosition(d.file, d.start, message), message);
      return { file: fileName, line: 1, column: 1, message, severity: 'error' as const };
    });
    const refused = importProblems(flowSf);
    const refusedLines = new Set(refused.map((p) => p.line));
    // "Cannot find module" for an import we already refused says the same thing twice.
    const rest = problems.filter(
      (p, i) => !(refusedLines.has(p.line) && [2307, 2792].includes(diagnostics[i]?.code ?? 0)),
    );
    const apiPrefix = this.apiDir + path.sep;
    const apiOnly = program
      .getSourceFiles()
      .every(
        (file) =>
          file === sf ||
          program.isSourceFileDefaultLibrary(file) ||
          path.resolve(file.fileName).startsWith(apiPrefix),
      );
    return { problems: [...refused, ...rest], apiOnly };
  }
}

/** A flow as an ES module, with the source map back to the flow file (to place errors thrown while loading). */
export interface TranspiledFlow {
  readonly js: string;
  readonly sourceMap: string;
}

/** Transpiles a flow to an ES module whose API import points at `runtimeUrl`. */
export function transpileFlow(fileName: string, text: string, runtimeUrl: string): TranspiledFlow {
  const rewrite: TS.TransformerFactory<TS.SourceFile> = (context) => (sf) => {
    const f = context.factory;
    const visit = (node: TS.Node): TS.Node => {
      if (
        ts.isImportDeclaration(node) &&
        ts.isStringLiteral(node.moduleSpecifier) &&
        isApiSpecifier(node.moduleSpecifier.text)
      ) {
        return f.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          f.createStringLiteral(runtimeUrl),
          node.attributes,
        );
      }
      if (
        ts.isExportDeclaration(node) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier) &&
        isApiSpecifier(node.moduleSpecifier.text)
      ) {
        return f.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          f.createStringLiteral(runtimeUrl),
          node.attributes,
        );
      }
      return node;
    };
    return ts.visitEachChild(sf, visit, context);
  };
  const out = ts.transpileModule(text, {
    fileName,
    reportDiagnostics: false,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: true,
      sourceMap: true,
    },
    transformers: { before: [rewrite] },
  });
  // The map is kept in memory, not beside the module: drop the comment that points at a file.
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return { js, sourceMap: out.sourceMapText ?? '' };
}

/** sha256 of the text, 12 hex chars: the flow version. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** An error thrown while a flow module was being loaded, placed in the flow file when its stack allows. */
export class FlowModuleError extends Error {
  constructor(
    message: string,
    /** 1-based, in the flow file; undefined when no frame of the flow's own code was on the stack. */
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
    this.name = 'FlowModuleError';
  }
}

/**
 * The flow file's line and column of the innermost stack frame in the flow's own module (`moduleUrl`), read
 * back through its source map: for a throw inside the flow API (defineFlow refusing an argument) that is
 * the flow's call of it.
 */
export function flowPositionOf(
  error: unknown,
  moduleUrl: string,
  sourceMap: string,
): { line: number; column: number } | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  // Node names the module by its URL; a module runner (vitest) by its path.
  const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const names = `(?:${escapeRe(moduleUrl)}|${escapeRe(fileURLToPath(moduleUrl))})`;
  const frame = new RegExp(`${names}:(\\d+):(\\d+)`).exec(stack);
  if (!frame || !sourceMap) return undefined;
  try {
    const entry = new SourceMap(JSON.parse(sourceMap)).findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1);
    if (!('originalLine' in entry)) return undefined;
    return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  } catch {
    return undefined; // a map we cannot read only costs the position
  }
}

/**
 * Writes transpiled JS to `outDir` under a content-addressed name and imports it. The same content
 * always yields the same module (and the same frozen flow object); new content a new module. An error
 * thrown while it loads comes back as a FlowModuleError placed in the flow file.
 */
export async function importTranspiled(
  outDir: string,
  baseName: string,
  hash: string,
  flow: TranspiledFlow,
): Promise<Record<string, unknown>> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${baseName.replace(/[^A-Za-z0-9_.-]/g, '_')}.${hash}.mjs`);
  await writeFile(file, flow.js);
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const at = flowPositionOf(error, url, flow.sourceMap);
    const message = error instanceof Error ? error.message : String(error);
    throw new FlowModuleError(message, at?.line, at?.column);
  }
}
