'use strict';
/**
 * Node 20's stand-in for the runtime's compile cache (module.enableCompileCache, Node 22.1+, which
 * the stub turns on where it exists; then this is a plain require): requires a CommonJS file
 * compiled with V8's code cache, which skips compiling the file and every function it ran last
 * time (validate's ~300 KB: ~15 ms of a ~50 ms start over bare node). Self-contained: the stub carries
 * this file's text up to module.exports (read, not Function.toString, which a test runner's
 * transform may reprint), and tests require it as is. `key` names the file's build (a hash of
 * its text, put in by the build).
 * - The cache lives in <tmpdir>/rubric-gate-compile-cache-<uid>, used only while it is a folder
 *   of this user's that nobody else may write (mode 0700): no one else's bytes are ever run.
 * - A file is replaced whole (written aside, then renamed), after the command, only when it was
 *   missing or V8 refused it (another Node, other V8 flags); V8 checks its version, flags and the
 *   source's length before using one. One file per build and Node version, as Node's own cache
 *   keeps them, left to the tmpdir's cleaning.
 * - NODE_DISABLE_COMPILE_CACHE turns it off, as it does Node's own. Any failure of the cache
 *   (a read-only tmpdir, a full disk) is a plain require: it can cost time, never a result.
 */
function requireCompiled(file, key, req) {
  const fs = req('node:fs');
  const path = req('node:path');
  if (req('node:module').enableCompileCache || process.env.NODE_DISABLE_COMPILE_CACHE) return req(file);
  let compiled;
  try {
    const uid = process.getuid?.();
    const dir = path.join(req('node:os').tmpdir(), `rubric-gate-compile-cache${uid === undefined ? '' : `-${uid}`}`);
    // V8 refuses a cache made under other flags: one file per set of them, or two alternating
    // sets would each rewrite the other's.
    let flags = 0;
    for (const c of `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)
      flags = (Math.imul(flags, 31) + c.charCodeAt(0)) | 0;
    const name = `${key}-${process.version}-${process.arch}-${(flags >>> 0).toString(36)}.bin`;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    const ours = st.isDirectory() && (uid === undefined || (st.uid === uid && (st.mode & 0o077) === 0));
    let cached;
    try {
      if (ours) cached = fs.readFileSync(path.join(dir, name));
    } catch {
      cached = undefined;
    }
    const wrapped = `(function (exports, require, module, __filename, __dirname) { ${fs.readFileSync(file, 'utf8')}\n});`;
    const script = new (req('node:vm').Script)(wrapped, { filename: file, cachedData: cached });
    compiled = script.runInThisContext();
    if (ours && (cached === undefined || script.cachedDataRejected)) {
      process.once('exit', () => {
        const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
        try {
          fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
          fs.renameSync(tmp, path.join(dir, name));
        } catch {
          fs.rmSync(tmp, { force: true, maxRetries: 0 });
        }
      });
    }
  } catch {
    return req(file);
  }
  const module = { exports: {} };
  compiled.call(module.exports, module.exports, req, module, file, path.dirname(file));
  return module.exports;
}

module.exports = requireCompiled;
