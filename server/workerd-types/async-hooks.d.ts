// The one Node API the Workers entry uses, as workerd provides it under `nodejs_compat`. Only
// tsconfig.runtime.json reads this file; the Node build type-checks against @types/node instead.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
