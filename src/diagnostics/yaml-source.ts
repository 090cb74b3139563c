import { createRequire } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';
import { formatPath, type Diagnostic } from './diagnostic.ts';

/**
 * yaml, loaded when a source is first parsed: a run whose catalogue comes validated from the cache
 * (catalogue-cache.ts) holds sources it never parses, and yaml is 40 ms of the runner's start.
 */
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

export type Position = { line: number; col: number };

/**
 * A parsed YAML file that remembers where every node came from, so a field path
 * (from a zod issue or a cross-reference check) can be reported as `file:line:col`.
 */
/** yaml's own words for it are "please use YAML.parseAllDocuments()": an API call, to a file's author. */
const SECOND_DOCUMENT = {
  message: 'a second YAML document starts here: packgate reads one document per file',
  hint: 'remove the --- line here, keeping what follows it in the one document if it belongs there',
};

export class YamlSource {
  private parsed?: Document.Parsed;
  private counter?: LineCounter;
  private js?: { value: unknown };

  constructor(
    /** Path relative to the project root, forward slashes. */
    readonly file: string,
    readonly text: string,
    /**
     * `json`: the text is JSON already checked by JSON.parse (JSON is YAML), so its value comes from
     * JSON.parse, many times faster, and the YAML document is built only to locate a problem.
     */
    private readonly options: { json?: boolean } = {},
  ) {}

  private get doc(): Document.Parsed {
    return (this.parsed ??= yaml().parseDocument(this.text, {
      lineCounter: this.lines,
      prettyErrors: false,
      uniqueKeys: true,
      // `<<: *defaults`, as CI files write shared settings once: YAML 1.2 dropped merge keys, people did not.
      merge: true,
    }));
  }

  /** YAML syntax errors and warnings, located; and aliases that expand without bound. */
  syntaxDiagnostics(): Diagnostic[] {
    const syntax = [...this.doc.errors, ...this.doc.warnings].map(e => {
      const pos = this.positionOf(e.pos[0]);
      const said =
        e.code === 'DUPLICATE_KEY'
          ? this.duplicateKeyAt(e.pos[0])
          : e.code === 'MULTIPLE_DOCS'
            ? SECOND_DOCUMENT
            : undefined;
      return {
        severity: e.name === 'YAMLWarning' ? 'warning' : 'error',
        rule: 'yaml-syntax',
        file: this.file,
        ...pos,
        path: '',
        message: said?.message ?? e.message.split('\n')[0],
        hint: said?.hint ?? 'fix the YAML syntax at this position',
      } satisfies Diagnostic;
    });
    return syntax.some(d => d.severity === 'error') ? syntax : [...syntax, ...this.aliasDiagnostics()];
  }

  /**
   * Aliases of aliases of a large anchor grow without bound as they are read (the "billion laughs"),
   * and the YAML library stops at its limit by throwing, which was packgate's "internal error",
   * exit 1, for a file it was given: said as the file's error instead.
   */
  private aliasDiagnostics(): Diagnostic[] {
    try {
      this.value();
      return [];
    } catch (error) {
      if (!(error instanceof ReferenceError && /alias/i.test(error.message))) throw error;
      return [
        {
          severity: 'error',
          rule: 'yaml-aliases',
          file: this.file,
          line: 1,
          col: 1,
          path: '',
          message:
            'its aliases (*name) expand to more values than packgate reads: a file growing so as it is read is refused',
          hint: 'write the values out, or alias smaller anchors (&name) fewer times',
        },
      ];
    }
  }

  /**
   * The key given twice whose second copy starts at `offset`, and the line of its first: yaml's own
   * "Map keys must be unique" names neither, which leaves a person comparing keys in a long file.
   */
  private duplicateKeyAt(offset: number): { message: string; hint: string } | undefined {
    const { isPair, isScalar, visit } = yaml();
    let found: { message: string; hint: string } | undefined;
    visit(this.doc, {
      Map: (_, map) => {
        const pairs = map.items.filter(isPair);
        const second = pairs.find(p => (p.key as Node | null)?.range?.[0] === offset);
        if (!second || !isScalar(second.key)) return undefined;
        const key = String(second.key.value);
        const first = pairs.find(p => p !== second && isScalar(p.key) && String(p.key.value) === key);
        const line = first && this.positionOf((first.key as Node).range?.[0] ?? offset).line;
        found = {
          message: `${key} is given twice in this mapping${line ? ` (first at line ${line})` : ''}`,
          hint: `keep one of the two: which ${key} was meant is for the file's author to say`,
        };
        return visit.BREAK;
      },
    });
    return found;
  }

  value(): unknown {
    // Read once: a large file's value is built once for its checks and once more for its use otherwise.
    return (this.js ??= { value: this.options.json ? JSON.parse(this.text) : this.doc.toJS() }).value;
  }

  /**
   * Where `path` is in the file. With `key`, the position of the last key rather than its value
   * (for "unknown field" problems). Where the path does not exist, the deepest node that does.
   */
  locate(path: readonly PropertyKey[], options: { key?: boolean } = {}): Position {
    const { isMap, isPair, isScalar, isSeq } = yaml();
    let node: unknown = this.doc.contents;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(p => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node;
        const valueNode = pair.value as Node | null;
        if (last && options.key) return this.positionOf(keyNode.range?.[0] ?? offset);
        // An empty value (`seeds:`) has no node of its own: point at its key.
        offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
        node = valueNode;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        node = node.items[segment];
        offset = (node as Node).range?.[0] ?? offset;
      } else {
        break;
      }
    }
    return this.positionOf(offset);
  }

  private get lines(): LineCounter {
    return (this.counter ??= new (yaml().LineCounter)());
  }

  private positionOf(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }
}

/**
 * The node at `prefix` of a file, checked as a source of its own (a packet inside a backlog entry):
 * its value is the node's, its positions are in the whole file.
 */
export class NestedSource extends YamlSource {
  constructor(
    private readonly outer: YamlSource,
    private readonly prefix: readonly PropertyKey[],
    private readonly node: unknown,
  ) {
    super(outer.file, outer.text);
  }

  override value(): unknown {
    return this.node;
  }

  override locate(path: readonly PropertyKey[], options: { key?: boolean } = {}): Position {
    return this.outer.locate([...this.prefix, ...path], options);
  }
}

/** A diagnostic located at `fieldPath` in `source` (at its key with `key: true`). */
export function at(
  source: YamlSource,
  fieldPath: readonly PropertyKey[],
  rule: string,
  message: string,
  hint?: string,
  options: { severity?: Diagnostic['severity']; key?: boolean } = {},
): Diagnostic {
  const { severity = 'error', key = false } = options;
  return {
    severity,
    rule,
    file: source.file,
    ...source.locate(fieldPath, { key }),
    path: formatPath(fieldPath),
    message,
    hint,
  };
}
