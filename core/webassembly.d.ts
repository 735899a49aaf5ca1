// The WebAssembly global as Node provides it. TypeScript only declares it in lib.dom, which this
// project does not load (it would add browser globals to Node code).
declare namespace WebAssembly {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- the runtime's class, declared
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
}
