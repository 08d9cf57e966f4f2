// The part of the WebAssembly JS API this project uses (Node 20 has it; @types/node 20 does not
// declare it, and lib.dom would bring a browser's globals along).
declare namespace WebAssembly {
  type ImportValue = Function | Global | Memory | Table | number;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  type ExportValue = Function | Global | Memory | Table;
  type Exports = Record<string, ExportValue>;
  interface ModuleImportDescriptor { module: string; name: string; kind: "function" | "global" | "memory" | "table" }
  interface ModuleExportDescriptor { name: string; kind: "function" | "global" | "memory" | "table" }
  class Module {
    constructor(bytes: BufferSource);
    static imports(module: Module): ModuleImportDescriptor[];
    static exports(module: Module): ModuleExportDescriptor[];
    static customSections(module: Module, name: string): ArrayBuffer[];
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Global {
    constructor(descriptor: { value: string; mutable?: boolean }, value?: unknown);
    value: unknown;
  }
  class Table {
    readonly length: number;
  }
  interface WebAssemblyInstantiatedSource { module: Module; instance: Instance }
  function instantiate(bytes: BufferSource, imports?: Imports): Promise<WebAssemblyInstantiatedSource>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
  function compile(bytes: BufferSource): Promise<Module>;
  function validate(bytes: BufferSource): boolean;
  class RuntimeError extends Error {}
  class CompileError extends Error {}
  class LinkError extends Error {}
}
type BufferSource = ArrayBufferView | ArrayBuffer;
