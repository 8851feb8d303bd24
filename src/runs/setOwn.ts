/**
 * Sets `obj[key]` as an own, enumerable property. Keys come from file names and user JSON, and
 * a key such as `__proto__` must be kept as data, never reach the prototype (or be dropped).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
