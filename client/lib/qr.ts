/**
 * QR codes as inline SVG built with the DOM (no inline styles, no data:
 * URLs): for the authenticator-app link now, for posters later. Encoding is
 * done by the small `qrcode-generator` package (MIT, no dependencies); this
 * module only draws its modules.
 */
import qrcode from 'qrcode-generator';

const SVG = 'http://www.w3.org/2000/svg';
/** Quiet zone, in modules (the standard asks for 4). */
const MARGIN = 4;

/**
 * A scalable SVG of `text` (byte mode, error correction M unless `level`
 * says otherwise: posters use Q, which survives a dirty or torn corner);
 * size it with CSS.
 */
export function qrSvg(text: string, label?: string, level: 'L' | 'M' | 'Q' | 'H' = 'M'): SVGElement {
  const code = qrcode(0, level);
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  const size = count + 2 * MARGIN;
  let path = '';
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (code.isDark(row, col)) path += `M${col + MARGIN} ${row + MARGIN}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('width', String(size * 5)); // a default; CSS may size .qr differently
  svg.setAttribute('height', String(size * 5));
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  if (label) svg.setAttribute('aria-label', label);
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', path);
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
