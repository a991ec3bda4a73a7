// Prints the slug of the person quoted most often in a search bundle:
//   node bench/search/top-speaker.mjs <output>/search/facets.bin
// facets.bin lists people most articles first (see src/search/facets.rs).
import { readFileSync } from 'node:fs';

const bytes = readFileSync(process.argv[2]);
let i = 0;
const int = () => {
  let v = 0, scale = 1, b;
  do { b = bytes[i++]; v += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
  return v;
};
if (int() === 0) process.exit(1);
const len = int();
console.log(bytes.subarray(i, i + len).toString('utf8'));
