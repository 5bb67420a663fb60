// The JavaScript face of the shoal engine: wraps the JSON-in/JSON-out wasm exports of
// crate/src/wasm.rs. Every function returns a value and never throws: input of the wrong
// shape gives `{error: {message, path?}}`.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Lone surrogates cannot cross into Rust (UTF-8); each becomes U+FFFD, which is also one UTF-16
// code unit, so offsets and columns stay those of the caller's string.
function wellFormed(text) {
  if (typeof text.toWellFormed === 'function') return text.toWellFormed();
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

function replacer(_key, value) {
  return typeof value === 'string' ? wellFormed(value) : value;
}

function error(message, path) {
  return path === undefined ? { error: { message } } : { error: { message, path } };
}

/**
 * Binds the API to a wasm-bindgen module.
 * @param {object} core the wasm-bindgen exports
 * @param {() => boolean} isLoaded whether the module is instantiated
 */
export function bind(core, isLoaded) {
  function call(fn, arg) {
    if (!isLoaded()) {
      return error('shoal: the engine is not loaded yet: await init() first');
    }
    let out;
    try {
      out = fn(arg);
    } catch (e) {
      return error(`shoal: internal error: ${e && e.message ? e.message : String(e)}`);
    }
    try {
      return JSON.parse(out);
    } catch (e) {
      return error(`shoal: internal error: unreadable answer (${e.message})`);
    }
  }

  function json(value) {
    try {
      return JSON.stringify(value, replacer);
    } catch (e) {
      return undefined;
    }
  }

  function callJson(fn, value) {
    const text = json(value);
    if (text === undefined) {
      return error(`shoal: the input cannot be serialised: it must be plain data (no cycles, BigInt or functions)`);
    }
    return call(fn, text);
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  return {
    analyze(files, options) {
      if (options !== undefined && options !== null && !isObject(options)) {
        return error('options: must be an object', 'options');
      }
      return callJson(core.analyzeJson, { files, options: options ?? null });
    },

    applyFixes(files, findingsOrCodes, settings) {
      if (settings !== undefined && settings !== null && !isObject(settings)) {
        return error('settings: must be an object {unsafe, options}', 'settings');
      }
      const { unsafe = false, options = null } = settings ?? {};
      return callJson(core.applyFixesJson, {
        files,
        select: findingsOrCodes ?? null,
        unsafe,
        options,
      });
    },

    rules() {
      return call(core.rulesJson);
    },

    explain(code) {
      if (typeof code !== 'string') return error('code: must be a string such as "GO001"', 'code');
      return call(core.explainJson, wellFormed(code));
    },

    encodeShare(files) {
      return callJson(core.encodeShareJson, { files });
    },

    decodeShare(fragment) {
      if (typeof fragment !== 'string') return error('fragment: must be a string', 'fragment');
      return call(core.decodeShareJson, fragment);
    },
  };
}
