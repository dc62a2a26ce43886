// "The page never receives tables", as a rule on types: every method of a page-facing worker API (the `…Api`
// interfaces of src/core/contracts/) is resolved by the TypeScript checker, and its result (awaited) is searched for a
// Table, a ColumnData, or a raw typed-array table (typed arrays keyed by name or in a list). Names are followed to what
// they resolve to, so an alias or a nested record cannot hide one.

import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import ts from 'typescript';

const BANNED = new Set(['Table', 'ColumnData']);
const TYPED_ARRAYS = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
]);

/** `path: extra source` replaces or adds files (a synthetic API for the rule's own test). */
export function tableProblems(root: string, extra: Record<string, string> = {}): string[] {
  const dir = posix.join(root, 'src/core/contracts');
  const names = [...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => posix.join(dir, f)), ...Object.keys(extra).map((p) => posix.join(root, p))];
  // The core's own compiler options (no DOM, no Node), so the types are the ones the core is checked with.
  const config = ts.getParsedCommandLineOfConfigFile(posix.join(root, 'src/core/tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, ' '));
    },
  });
  if (!config) throw new Error('src/core/tsconfig.json could not be read');
  const options: ts.CompilerOptions = { ...config.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const byPath = new Map(Object.entries(extra).map(([p, s]) => [posix.join(root, p), s]));
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => byPath.get(f) ?? readFile(f);
  host.fileExists = (f) => byPath.has(f) || fileExists(f);
  const program = ts.createProgram([...new Set([...names, posix.join(root, 'src/core/shared/runtime.d.ts')])], options, host);
  const checker = program.getTypeChecker();
  // An import that does not resolve would make a result `any`, which hides everything: it counts as a problem.
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `does not compile: ${d.file ? posix.basename(d.file.fileName) + ': ' : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  for (const file of names.map((n) => program.getSourceFile(n))) {
    if (!file) continue;
    for (const statement of file.statements) {
      if (!ts.isInterfaceDeclaration(statement) || !statement.name.text.endsWith('Api')) continue;
      const api = checker.getTypeAtLocation(statement.name);
      for (const member of checker.getPropertiesOfType(api)) {
        const type = checker.getTypeOfSymbolAtLocation(member, statement);
        for (const signature of type.getCallSignatures()) {
          const result = checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType();
          const found = findTable(checker, result, statement, new Set());
          if (found) problems.push(`${statement.name.text}.${member.name} returns ${found}`);
        }
      }
    }
  }
  return problems;
}

function nameOf(type: ts.Type): string | undefined {
  return type.aliasSymbol?.name ?? type.getSymbol()?.name;
}

const isTypedArray = (type: ts.Type): boolean => TYPED_ARRAYS.has(type.getSymbol()?.name ?? '');

/** What in `type` is a table, or null. */
function findTable(checker: ts.TypeChecker, type: ts.Type, at: ts.Node, seen: Set<ts.Type>): string | null {
  if (seen.has(type)) return null;
  seen.add(type);
  const name = nameOf(type);
  if (name && BANNED.has(name)) return `a ${name}`;
  if (type.isUnionOrIntersection()) {
    for (const part of type.types) {
      const found = findTable(checker, part, at, seen);
      if (found) return found;
    }
    return null;
  }
  if (isTypedArray(type) || !(type.flags & ts.TypeFlags.Object)) return null;
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const elements = checker.getTypeArguments(type as ts.TypeReference);
    if (elements.some(isTypedArray)) return 'a list of typed arrays';
    for (const element of elements) {
      const found = findTable(checker, element, at, seen);
      if (found) return found;
    }
    return null;
  }
  for (const index of checker.getIndexInfosOfType(type)) {
    if (isTypedArray(index.type)) return 'typed arrays keyed by name';
    const found = findTable(checker, index.type, at, seen);
    if (found) return found;
  }
  // Library types (Blob, Map, Promise…) hold no table of ours.
  const declaration = type.getSymbol()?.declarations?.[0];
  if (declaration && /[\\/]typescript[\\/]lib[\\/]/.test(declaration.getSourceFile().fileName)) return null;
  for (const property of checker.getPropertiesOfType(type)) {
    const found = findTable(checker, checker.getTypeOfSymbolAtLocation(property, at), at, seen);
    if (found) return `${found} (in .${property.name})`;
  }
  return null;
}
