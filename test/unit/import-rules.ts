// The layering in DESIGN.md, checked on resolved imports. A TypeScript program is built over the given files (a
// Svelte component contributes its <script> blocks), every import is resolved to the file it names, and every name
// src/ui imports is followed through re-exports to its declaration: a value of src/core cannot reach a component by
// way of a state module that re-exports it, which a check of import specifiers alone would miss.

import { posix } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative, with forward slashes. */
  path: string;
  source: string;
}

export interface ImportRef {
  specifier: string;
  /** Erased from the JavaScript: `import type`, `export type`, or `import('…')` in a type position. */
  typeOnly: boolean;
  literal: ts.StringLiteralLike;
  /** The names brought in as values, to be followed to their declarations. */
  names: ts.Identifier[];
  /** A namespace import, `export *` or `import()`: every export of the module is reachable. */
  wholeModule: boolean;
}

type Area = 'core' | 'platform' | 'state' | 'ui' | 'app' | 'workers' | 'test' | 'other';

function areaOf(path: string): Area {
  for (const area of ['core', 'platform', 'state', 'ui', 'app'] as const) {
    if (path.startsWith(`src/${area}/`)) return area;
  }
  if (path.startsWith('src/')) return 'app';
  if (path.startsWith('workers/')) return 'workers';
  if (path.startsWith('test/')) return 'test';
  return 'other';
}

/** In a Svelte component only the <script> blocks hold imports; the markup is prose. */
function scriptsOf(source: string): string {
  return [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Every import and export-from of one file, as the parser sees them (comments and strings are not imports). */
export function findImports(file: ts.SourceFile): ImportRef[] {
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteralLike(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause?.isTypeOnly ?? false;
      const names: ts.Identifier[] = [];
      let wholeModule = false;
      if (clause && !typeOnly) {
        if (clause.name) names.push(clause.name);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) wholeModule = true;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) if (!element.isTypeOnly) names.push(element.name);
        }
      }
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly, literal: node.moduleSpecifier, names, wholeModule });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly;
      const clause = node.exportClause;
      const names =
        clause && ts.isNamedExports(clause) && !typeOnly
          ? clause.elements.filter((e) => !e.isTypeOnly).flatMap((e) => (ts.isIdentifier(e.name) ? [e.name] : []))
          : [];
      const wholeModule = !typeOnly && (!clause || ts.isNamespaceExport(clause));
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly, literal: node.moduleSpecifier, names, wholeModule });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const literal = node.arguments[0];
      refs.push({ specifier: literal.text, typeOnly: false, literal, names: [], wholeModule: true });
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteralLike(argument.literal)) {
        refs.push({ specifier: argument.literal.text, typeOnly: true, literal: argument.literal, names: [], wholeModule: false });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return refs;
}

/** Parses one file's imports without a program (the Svelte script blocks for a component). */
export function importsOf(path: string, source: string): ImportRef[] {
  const text = path.endsWith('.svelte') ? scriptsOf(source) : source;
  return findImports(ts.createSourceFile(`${path}.ts`, text, ts.ScriptTarget.ES2022, true));
}

/** The package a bare specifier names: '@scope/name' or 'name'. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const BUNDLER_SUFFIX = /\?(url|raw|worker)$/;
const ROOT = '/repo/';
const OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  allowImportingTsExtensions: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  noEmit: true,
  // Only declarations are looked up, never checked, so the standard library is not needed.
  noLib: true,
  target: ts.ScriptTarget.ES2022,
  types: [],
};

/**
 * The files as one program. A component is compiled as `<name>.svelte.ts` holding its script blocks; an import of
 * `./X.svelte` resolves to that. Bare specifiers are left unresolved: a package is judged by its name.
 */
function buildProgram(files: SourceFile[]) {
  const texts = new Map<string, string>();
  const realPath = new Map<string, string>();
  for (const file of files) {
    const name = ROOT + (file.path.endsWith('.svelte') ? `${file.path}.ts` : file.path);
    if (texts.has(name)) throw new Error(`${file.path} and ${file.path}.ts cannot both exist: the component's script is read as the latter`);
    texts.set(name, file.path.endsWith('.svelte') ? scriptsOf(file.source) : file.source);
    realPath.set(name, file.path);
  }
  const directories = new Set<string>();
  for (const name of texts.keys()) {
    for (let dir = posix.dirname(name); dir.length > 1; dir = posix.dirname(dir)) directories.add(dir);
  }
  const moduleHost: ts.ModuleResolutionHost = {
    fileExists: (name) => texts.has(name),
    readFile: (name) => texts.get(name),
    directoryExists: (dir) => directories.has(dir.replace(/\/$/, '')),
    realpath: (name) => name,
    getCurrentDirectory: () => ROOT,
  };
  const resolve = (specifier: string, containingFile: string): string | undefined => {
    const bare = specifier.replace(BUNDLER_SUFFIX, '');
    if (!bare.startsWith('.')) return undefined;
    if (bare.endsWith('.svelte')) {
      const name = `${posix.join(posix.dirname(containingFile), bare)}.ts`;
      return texts.has(name) ? name : undefined;
    }
    return ts.resolveModuleName(bare, containingFile, OPTIONS, moduleHost).resolvedModule?.resolvedFileName;
  };
  const host = ts.createCompilerHost(OPTIONS, true);
  host.fileExists = moduleHost.fileExists;
  host.readFile = moduleHost.readFile;
  host.directoryExists = moduleHost.directoryExists;
  host.realpath = moduleHost.realpath;
  host.getCurrentDirectory = () => ROOT;
  host.getSourceFile = (name, target) => {
    const text = texts.get(name);
    return text === undefined ? undefined : ts.createSourceFile(name, text, target, true);
  };
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => {
      const resolvedFileName = resolve(literal.text, containingFile);
      const extension = resolvedFileName ? extensionOf(resolvedFileName) : undefined;
      return { resolvedModule: resolvedFileName && extension ? { resolvedFileName, extension } : undefined };
    });
  const program = ts.createProgram({ rootNames: [...texts.keys()], options: OPTIONS, host });
  return {
    program,
    checker: program.getTypeChecker(),
    /** The repository path a program file stands for. */
    pathOf: (name: string) => realPath.get(name) ?? name.slice(ROOT.length),
    resolve,
  };
}

function extensionOf(name: string): ts.Extension | undefined {
  return [ts.Extension.Dts, ts.Extension.Ts, ts.Extension.Mjs, ts.Extension.Js].find((ext) => name.endsWith(ext));
}

/** Every rule broken, as `file: imports X (rule)`. */
export function checkImports(files: SourceFile[]): string[] {
  const { program, checker, pathOf, resolve } = buildProgram(files);
  const sources = program.getSourceFiles().filter((sf) => sf.fileName.startsWith(ROOT));
  const importsByFile = new Map(sources.map((sf) => [sf, findImports(sf)] as const));

  // A file imported with ?raw is shipped as text (e.g. the export bundle's Node script), never run
  // in the app, so its own imports are not the app's.
  const textAssets = new Set<string>();
  for (const [sf, refs] of importsByFile) {
    for (const { specifier } of refs) {
      const target = specifier.endsWith('?raw') ? resolve(specifier, sf.fileName) : undefined;
      if (target) textAssets.add(target);
    }
  }

  /** Where a name leads after every alias and re-export: a value declared in src/core, or nothing to report. */
  const coreValue = (symbol: ts.Symbol | undefined): string | null => {
    if (!symbol) return null;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (!(target.flags & ts.SymbolFlags.Value)) return null;
    const declared = target.declarations?.map((d) => pathOf(d.getSourceFile().fileName)).find((p) => areaOf(p) === 'core');
    return declared ?? null;
  };

  /** The names an import brings in that are values declared in src/core, however many re-exports away. */
  const coreValuesReached = ({ names, wholeModule, literal }: ImportRef): [string, string][] => {
    const symbols = names.map((id) => [id.text, checker.getSymbolAtLocation(id)] as const);
    const module = wholeModule ? checker.getSymbolAtLocation(literal) : undefined;
    const exported = module ? checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol] as const) : [];
    return [...symbols, ...exported].flatMap(([name, symbol]) => {
      const declaredIn = coreValue(symbol);
      return declaredIn ? [[name, declaredIn] as [string, string]] : [];
    });
  };

  const violations: string[] = [];
  for (const [sf, refs] of importsByFile) {
    if (textAssets.has(sf.fileName)) continue;
    const path = pathOf(sf.fileName);
    const from = areaOf(path);
    for (const ref of refs) {
      const { specifier, typeOnly } = ref;
      const flag = (rule: string) => violations.push(`${path}: imports ${specifier} (${rule})`);
      const relative = specifier.startsWith('.');
      const suffix = BUNDLER_SUFFIX.exec(specifier)?.[1] ?? null;
      const resolved = resolve(specifier, sf.fileName);
      const target = resolved
        ? pathOf(resolved)
        : relative
          ? posix.normalize(posix.join(posix.dirname(path), specifier.replace(BUNDLER_SUFFIX, '')))
          : '';
      const to: Area | null = relative ? areaOf(target) : null;
      const pkg = relative ? '' : packageOf(specifier);

      if (pkg === '@tensorflow' || pkg.startsWith('@tensorflow/')) {
        if (from !== 'workers' && from !== 'test') flag('tfjs is only for workers/');
      }
      // A ?url or ?raw import outside core brings in a file's address or text, not its code.
      if (from !== 'core' && (suffix === 'url' || suffix === 'raw')) continue;
      switch (from) {
        case 'core':
          // @bufbuild/protobuf is pure encoding (no I/O, no eval): the ONNX export writes its ModelProto with it.
          // valibot is pure validation: the bundle importer's schemas live in core beside the rules they feed.
          if (relative ? to !== 'core' : !['@bufbuild/protobuf', 'valibot'].includes(pkg)) flag('src/core imports only src/core');
          break;
        case 'platform': {
          const okPackage = ['dexie', 'comlink', 'fflate'].includes(pkg) || specifier.startsWith('virtual:pwa-register');
          // A worker entry is bundled as its own chunk, so spawning it does not pull its code in.
          const okWorker = to === 'workers' && (suffix === 'worker' || suffix === 'url');
          if (relative ? !(to === 'core' || to === 'platform' || okWorker) : !okPackage) {
            flag('src/platform imports only src/core, src/platform, dexie, comlink, fflate and virtual:pwa-register');
          }
          break;
        }
        case 'state':
          if (relative ? !(to === 'core' || to === 'platform' || to === 'state') : pkg !== 'svelte') {
            flag('src/state imports only src/core, src/platform, src/state and svelte');
          }
          break;
        case 'ui':
          if (relative && to === 'core') {
            if (!typeOnly) flag('src/ui may only `import type` from src/core');
          } else if (relative ? !(to === 'state' || to === 'ui') : !(pkg === 'svelte' || pkg === 'uplot')) {
            flag('src/ui imports only src/state, src/ui, svelte, uplot and types from src/core');
          } else if (relative && !typeOnly) {
            for (const [name, declaredIn] of coreValuesReached(ref)) {
              flag(`${name} is a value of ${declaredIn}; src/ui may only use types from src/core`);
            }
          }
          break;
        case 'workers': {
          // A worker may write through a repository (DESIGN.md): src/platform/repositories/ and open-db, no other platform code.
          const storage = target.startsWith('src/platform/repositories/') || target.replace(/\.ts$/, '') === 'src/platform/open-db';
          if (relative && (to === 'state' || to === 'ui' || (to === 'platform' && !storage) || to === 'app')) {
            flag('workers/ must not import src/state, src/ui, src/app or src/platform other than its repositories and open-db');
          } else if (pkg === 'dexie' || pkg === 'svelte') {
            flag('workers/ must not import dexie or svelte');
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return violations;
}
