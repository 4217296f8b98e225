import { asBundled } from '../../scripts/release/dependencySources';
import { lazyRequiresIn } from '../../scripts/release/lazyRequires';

describe('how the release bundle rewrites dependencies', () => {
  test('a character outside ASCII in a regular expression literal is escaped, and means the same', () => {
    const source = 'module.exports = (s) => /〇/.test(s) ? "〇" : 7 / 2;\n//# sourceMappingURL=validator.js.map\n';
    const bundled = asBundled(source);
    expect(bundled).toBe('module.exports = (s) => /\\u3007/.test(s) ? "〇" : 7 / 2;\n');
    const load = (text: string) => new Function('module', `${text}; return module.exports;`)({}) as (s: string) => unknown;
    for (const input of ['a〇b', 'ab']) expect(load(bundled)(input)).toEqual(load(source)(input));
  });

  test('a lazy require runs the package on the first member read, and refuses a file that uses the module object itself', () => {
    const rule = { file: /x\.js$/, packages: /^lazy-pkg$/, why: 'test' };
    const lazy = lazyRequiresIn('const a_1 = require("lazy-pkg");\nconst b_1 = require("eager");\nexports.f = () => a_1.make();\n', rule, 'x.js');
    const loaded: string[] = [];
    const fakeRequire = (name: string) => { loaded.push(name); return { make: () => `made by ${name}` }; };
    const exports: { f?: () => string } = {};
    new Function('require', 'exports', lazy)(fakeRequire, exports);
    expect(loaded).toEqual(['eager']);
    expect(exports.f!()).toBe('made by lazy-pkg');
    expect(loaded).toEqual(['eager', 'lazy-pkg']);
    expect(() => lazyRequiresIn('const a_1 = require("lazy-pkg");\nmodule.exports = a_1;\n', rule, 'x.js')).toThrow(/used other than by reading its members/);
    expect(() => lazyRequiresIn('const a_1 = require("other");\n', rule, 'x.js')).toThrow(/changed shape/);
  });
});
