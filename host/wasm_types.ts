// The WebAssembly objects the published declarations name, declared structurally: a consumer's
// compiler then needs neither lib.dom nor a global WebAssembly declaration from this package,
// and a WebAssembly.Memory or WebAssembly.Module from either fits them.

/** A WebAssembly.Memory as the host reads it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

/** A compiled WebAssembly.Module, opaque: give it to WebAssembly.Instance or WebAssembly.Module.imports. */
export interface WasmModule {}
