import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { PNG } from 'pngjs';
import { ICONS, checkIcons } from '../../scripts/appPackage/icons';

const MANIFEST_DIR = path.resolve(__dirname, '../../manifest');

async function readPng(file: string) {
  return PNG.sync.read(await fs.readFile(path.join(MANIFEST_DIR, file)));
}

describe('app icons', () => {
  it('color.png is 192x192 and opaque', async () => {
    const png = await readPng('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    for (let i = 3; i < png.data.length; i += 4) expect(png.data[i]).toBe(255);
  });

  it('outline.png is 32x32, white lines on a transparent background', async () => {
    const png = await readPng('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.alpha).toBe(true);
    const alphas = Array.from({ length: png.width * png.height }, (_, p) => png.data[p * 4 + 3]);
    expect(alphas[0]).toBe(0);
    expect(alphas.filter((a) => a === 0).length).toBeGreaterThan(alphas.length / 2);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(0);
    for (let p = 0; p < alphas.length; p++) {
      if (alphas[p] > 0) expect([...png.data.subarray(p * 4, p * 4 + 3)]).toEqual([255, 255, 255]);
    }
  });

  it('checkIcons accepts the committed icons', async () => {
    await expect(checkIcons(MANIFEST_DIR)).resolves.toEqual([]);
  });

  it('checkIcons names a wrong size and an opaque outline', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'icons-'));
    try {
      const opaque = new PNG({ width: 48, height: 48 });
      opaque.data.fill(255);
      await fs.writeFile(path.join(dir, ICONS.outline.file), PNG.sync.write(opaque, { colorType: 2 }));
      await fs.copyFile(path.join(MANIFEST_DIR, ICONS.color.file), path.join(dir, ICONS.color.file));
      await expect(checkIcons(dir)).resolves.toEqual([
        'icon outline.png: is 48x48, must be 32x32',
        'icon outline.png: has no alpha channel, its background must be transparent',
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
