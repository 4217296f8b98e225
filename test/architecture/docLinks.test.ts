import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { ROOT } from '../helpers/build';

/** The pages a newcomer reads: the README and every page of docs/. */
const PAGES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

const md = new MarkdownIt('commonmark');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

/** The anchors of a page's headings, and the targets of its links and images (web addresses left out). */
function pageOf(file: string): { anchors: Set<string>; targets: string[] } {
  const tokens = md.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'), {});
  const anchors = new Set(tokens.flatMap((t, i) => (t.type === 'heading_open' ? [anchorOf(tokens[i + 1].children!.map((c) => c.content).join(''))] : [])));
  const targets = tokens.flatMap((t) => t.children ?? [])
    .flatMap((t) => [t.attrGet('href'), t.attrGet('src')])
    .filter((target): target is string => Boolean(target) && !/^[a-z]+:/i.test(target!));
  return { anchors, targets };
}

describe('the links between README.md and docs/', () => {
  test.each(PAGES)('every link of %s reaches a file, and a heading where it names one', (file) => {
    const broken = pageOf(file).targets.filter((target) => {
      const [where, anchor] = target.split('#');
      const linked = where ? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(where))) : file;
      if (!fs.existsSync(path.join(ROOT, linked))) return true;
      return Boolean(anchor) && linked.endsWith('.md') && !pageOf(linked).anchors.has(anchor);
    });
    expect(broken).toEqual([]);
  });

  test('the README links every page of docs/', () => {
    const { targets } = pageOf('README.md');
    expect(PAGES.filter((page) => page.startsWith('docs/')).filter((page) => !targets.some((t) => t.split('#')[0] === page))).toEqual([]);
  });
});
