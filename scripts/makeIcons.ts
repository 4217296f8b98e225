import { writeFileSync } from 'fs';
import path from 'path';
import { PNG } from 'pngjs';
import { ICONS } from './appPackage/icons';

/**
 * Draws the app icons once: two arrows chasing each other round a circle ("sync"),
 * white on the brand blue for color.png, white on transparent for outline.png.
 * Run once, output committed: `npm run build && node dist/scripts/makeIcons.js [dir]` (dir defaults to ./manifest).
 */

const BRAND_BLUE = [0x0f, 0x6c, 0xbd] as const; // the manifest's accentColor
const RADIUS = 0.52; // shape geometry in units of half the icon's side
const STROKE = 0.17;
const HEAD_HALF_WIDTH = 0.2;
const HEAD_LENGTH = 0.26;
const ARCS = [
  { from: 20, to: 150 },
  { from: 200, to: 330 },
];
const SUBSAMPLES = 4; // per axis, for anti-aliased edges

type Point = readonly [number, number];

function inArc(u: number, v: number, from: number, to: number): boolean {
  const r = Math.hypot(u, v);
  const deg = ((Math.atan2(v, u) * 180) / Math.PI + 360) % 360;
  return Math.abs(r - RADIUS) <= STROKE / 2 && deg >= from && deg <= to;
}

function inTriangle(p: Point, a: Point, b: Point, c: Point): boolean {
  const side = (p1: Point, p2: Point) => (p[0] - p2[0]) * (p1[1] - p2[1]) - (p1[0] - p2[0]) * (p[1] - p2[1]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** The arrowhead at the counter-clockwise end of an arc, pointing along the circle. */
function head(endDeg: number): [Point, Point, Point] {
  const t = (endDeg * Math.PI) / 180;
  const [nx, ny] = [Math.cos(t), Math.sin(t)];
  const [cx, cy] = [RADIUS * nx, RADIUS * ny];
  return [
    [cx + HEAD_HALF_WIDTH * nx, cy + HEAD_HALF_WIDTH * ny],
    [cx - HEAD_HALF_WIDTH * nx, cy - HEAD_HALF_WIDTH * ny],
    [cx - HEAD_LENGTH * ny, cy + HEAD_LENGTH * nx],
  ];
}

const HEADS = ARCS.map((arc) => head(arc.to));

function inShape(u: number, v: number): boolean {
  return ARCS.some((arc) => inArc(u, v, arc.from, arc.to)) || HEADS.some(([a, b, c]) => inTriangle([u, v], a, b, c));
}

/** Fraction of the pixel (x, y) covered by the shape, y growing downwards as in the PNG. */
function coverage(x: number, y: number, size: number): number {
  let hits = 0;
  for (let i = 0; i < SUBSAMPLES; i++) {
    for (let j = 0; j < SUBSAMPLES; j++) {
      const u = ((x + (i + 0.5) / SUBSAMPLES) / size) * 2 - 1;
      const v = 1 - ((y + (j + 0.5) / SUBSAMPLES) / size) * 2;
      if (inShape(u, v)) hits++;
    }
  }
  return hits / (SUBSAMPLES * SUBSAMPLES);
}

function draw(size: number, background: readonly [number, number, number] | undefined): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, size);
      const o = (y * size + x) * 4;
      if (background) {
        for (let k = 0; k < 3; k++) png.data[o + k] = Math.round(background[k] * (1 - a) + 255 * a);
        png.data[o + 3] = 255;
      } else {
        png.data.fill(255, o, o + 3);
        png.data[o + 3] = Math.round(255 * a);
      }
    }
  }
  return PNG.sync.write(png);
}

/** Writes color.png and outline.png into `dir`. */
export function makeIcons(dir: string): void {
  writeFileSync(path.join(dir, ICONS.color.file), draw(ICONS.color.size, BRAND_BLUE));
  writeFileSync(path.join(dir, ICONS.outline.file), draw(ICONS.outline.size, undefined));
}

if (require.main === module) {
  makeIcons(path.resolve(process.argv[2] ?? 'manifest'));
}
