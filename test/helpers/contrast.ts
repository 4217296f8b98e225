import { colord, extend, type RgbaColor } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';

extend([a11yPlugin]);

/** WCAG 2.x AA for body text (a card's sizes stay under the 18.66 px bold of "large text"). */
export const WCAG_AA_TEXT = 4.5;
/** WCAG 2.x (1.4.11) for a marker that is not text to read, such as a required field's asterisk. */
export const WCAG_NON_TEXT = 3;

/** `top` painted over `below` with its alpha (source-over), as the browser shows it. */
function over(top: RgbaColor, below: RgbaColor): RgbaColor {
  const mix = (a: number, b: number) => a * top.a + b * (1 - top.a);
  return { r: mix(top.r, below.r), g: mix(top.g, below.g), b: mix(top.b, below.b), a: 1 };
}

/**
 * The contrast ratio (WCAG 2.x relative luminance) of text in CSS colour `fg` over `backgrounds`, the
 * computed background colours from the text's element outwards; the page under them is `page`.
 */
export function contrastRatio(fg: string, backgrounds: readonly string[], page = '#ffffff'): number {
  const seen = [...backgrounds].reverse().reduce((below, layer) => over(colord(layer).toRgb(), below), colord(page).toRgb());
  const text = over(colord(fg).toRgb(), seen);
  // Floored to two decimals: 4.499 is under 4.5.
  return colord(text).contrast(colord(seen));
}
