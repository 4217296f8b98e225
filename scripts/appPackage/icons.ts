import { promises as fs } from 'fs';
import path from 'path';
import { PNG, PNGWithMetadata } from 'pngjs';

/** The two icons Teams requires, by manifest role: file name at the zip root and square size in pixels. */
export const ICONS = {
  color: { file: 'color.png', size: 192 },
  outline: { file: 'outline.png', size: 32 },
} as const;

export type IconRole = keyof typeof ICONS;

// Teams shows the outline icon tinted on its own surfaces, so it must be white lines on nothing.
const MIN_WHITE = 240;

/** Checks both icons in `dir`: size, and for the outline a transparent background with white lines only. */
export async function checkIcons(dir: string): Promise<string[]> {
  const errors: string[] = [];
  for (const role of Object.keys(ICONS) as IconRole[]) {
    const { file, size } = ICONS[role];
    let png: PNGWithMetadata;
    try {
      png = PNG.sync.read(await fs.readFile(path.join(dir, file)));
    } catch (err) {
      errors.push(`icon ${file}: cannot read it as a PNG (${(err as Error).message})`);
      continue;
    }
    if (png.width !== size || png.height !== size) {
      errors.push(`icon ${file}: is ${png.width}x${png.height}, must be ${size}x${size}`);
    }
    if (role === 'outline') errors.push(...outlineProblems(png, file));
  }
  return errors;
}

function outlineProblems(png: PNGWithMetadata, file: string): string[] {
  if (!png.alpha) return [`icon ${file}: has no alpha channel, its background must be transparent`];
  const { width, height, data } = png;
  const alphaAt = (x: number, y: number) => data[(y * width + x) * 4 + 3];
  const corners = [alphaAt(0, 0), alphaAt(width - 1, 0), alphaAt(0, height - 1), alphaAt(width - 1, height - 1)];
  const problems: string[] = [];
  if (corners.some((a) => a !== 0)) problems.push(`icon ${file}: background (corners) must be fully transparent`);
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && Math.min(data[i], data[i + 1], data[i + 2]) < MIN_WHITE) {
      problems.push(`icon ${file}: every visible pixel must be white`);
      break;
    }
  }
  return problems;
}

/** The manifest must name the icons exactly as the package ships them, at the zip root. */
export function iconReferenceProblems(manifest: unknown): string[] {
  const icons = (manifest as { icons?: Partial<Record<IconRole, unknown>> }).icons ?? {};
  return (Object.keys(ICONS) as IconRole[])
    .filter((role) => icons[role] !== ICONS[role].file)
    .map((role) => `manifest icons.${role} must be "${ICONS[role].file}", the file at the zip root`);
}
