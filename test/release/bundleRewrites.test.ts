import fs from 'node:fs';
import path from 'node:path';
import { asBundled } from '../../scripts/release/dependencySources';
import { formDataCheckByTag } from '../../scripts/release/fetchGlobalsUntouched';
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

  test('a lazy require of tsc\'s __importDefault form keeps the default export, loaded on first use', () => {
    const rule = { file: /x\.js$/, packages: /^lazy-pkg$/, why: 'test' };
    const source = 'var __importDefault = (m) => (m && m.__esModule ? m : { default: m });\n'
      + 'const a_1 = __importDefault(require("lazy-pkg"));\nexports.f = () => a_1.default.create();\n';
    const lazy = lazyRequiresIn(source, rule, 'x.js');
    const loaded: string[] = [];
    const fakeRequire = (name: string) => { loaded.push(name); return { create: () => `created by ${name}` }; };
    const exports: { f?: () => string } = {};
    new Function('require', 'exports', lazy)(fakeRequire, exports);
    expect(loaded).toEqual([]);
    expect(exports.f!()).toBe('created by lazy-pkg');
  });

  test('a lazy require named as its package: a path or another object\'s member of that name is no use, a spread is', () => {
    const rule = { file: /x\.js$/, packages: /^csv$/, why: 'test' };
    const source = "var csv = require('csv');\n// for `text/csv` bodies\nexports.p = (t) => (t !== 'text/csv' ? t.csv : csv.parse(t));\n";
    expect(lazyRequiresIn(source, rule, 'x.js')).toContain('var csv = new Proxy({}, { get: (_, key) => require("csv")[key] });');
    expect(() => lazyRequiresIn("var csv = require('csv');\nexports.all = { ...csv };\n", rule, 'x.js')).toThrow(/used other than by reading its members/);
  });

  test('the Azure pipeline asks for the FormData global only when the body is one', () => {
    const file = path.resolve(__dirname, '../../node_modules/@typespec/ts-http-runtime/dist/commonjs/formData.js');
    const rewritten = formDataCheckByTag(asBundled(fs.readFileSync(file, 'utf8')), file);
    let reads = 0;
    const scope = { get FormData() { reads++; return FormData; } };
    const module = { exports: {} as { convertBodyToFormDataMap?: (body: unknown) => unknown } };
    new Function('scope', 'module', 'exports', 'require', `with (scope) { ${rewritten} }`)(scope, module, module.exports, require);
    const convert = module.exports.convertBodyToFormDataMap!;
    for (const body of ['text', new Uint8Array(2), { a: 1 }, undefined]) expect(convert(body)).toBeUndefined();
    expect(reads).toBe(0);
    const form = new FormData();
    form.append('a', '1');
    form.append('a', '2');
    expect(convert(form)).toEqual({ a: ['1', '2'] });
    expect(reads).toBeGreaterThan(0);
    expect(() => formDataCheckByTag('module.exports = 1;', 'formData.js')).toThrow(/changed shape/);
  });
});
