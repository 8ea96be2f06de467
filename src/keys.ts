// Map keys for tests and their attempts. Pure.

/**
 * Names and numbers as one map key, distinct for distinct tuples whatever the names hold: names
 * may contain "/" and NUL, so text joined with either is ambiguous (testKey's "suite/name" is
 * shared by suite "a/b" test "c" and suite "a" test "b/c"; joined with NUL, test "a\0b" of
 * suite "x" and test "b" of suite "x\0a" were one test, each given the other's runs).
 */
export const tupleKey = (...parts: ReadonlyArray<string | number>): string => JSON.stringify(parts);

/** A (suite, test) pair as a map key (tupleKey). */
export const pairKey = (suite: string, name: string): string => tupleKey(suite, name);
