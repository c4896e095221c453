// The registry of value classes: classes (addresses, host names, time
// values, SharedBytes, sockets) that cross threads as their data and come
// back as instances of their class. The codec (codec.ts) takes them apart
// and rebuilds them; the implementation registers them once
// (threaded/value_classes.ts).

/** Value classes (addresses, host names, timestamps) that cross threads by
 * their data and come back as instances of their class: each registers a
 * kind, how to take it apart, and how to rebuild it. */
export interface ValueClass {
  readonly ctor: abstract new (...args: never[]) => object;
  readonly toData: (v: never) => unknown;
  readonly fromData: (data: never) => unknown;
}
export const valueClasses = new Map<string, ValueClass>();
export const valueKinds = new Map<unknown, string>();

export function registerValueClass<T extends object, D>(
  kind: string,
  ctor: abstract new (...args: never[]) => T,
  toData: (v: T) => D,
  fromData: (data: D) => T,
): void {
  valueClasses.set(kind, {
    ctor,
    toData: toData as (v: never) => unknown,
    fromData: fromData as (d: never) => unknown,
  });
  valueKinds.set(ctor, kind);
}
