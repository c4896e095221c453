// Zig's std.fmt.parseInt(uN, text, 10), which Zig's Io uses for ports and
// resolv.conf option values: an optional "+" or "-" sign, then decimal
// digits with "_" allowed between them (not first or last; several in a row
// are fine). "-" parses only a zero ("-0", "-00"): anything else is below
// an unsigned type (Overflow), as is a value above 2^bits - 1.

export type ParseIntError = "InvalidCharacter" | "Overflow";

export function parseUnsigned(text: string, bits: number): number | ParseIntError {
  let digits = text;
  let negative = false;
  if (digits.startsWith("+")) digits = digits.slice(1);
  else if (digits.startsWith("-")) {
    digits = digits.slice(1);
    negative = true;
  }
  if (digits.length === 0 || digits.startsWith("_") || digits.endsWith("_"))
    return "InvalidCharacter";
  const max = 2 ** bits - 1;
  let value = 0;
  // Left to right, the first error wins, as in Zig's loop ("99999x" as a
  // u16 is Overflow, "x99999" InvalidCharacter).
  for (const c of digits) {
    if (c === "_") continue;
    const d = c.charCodeAt(0) - 48;
    if (d < 0 || d > 9) return "InvalidCharacter";
    value = value * 10 + d;
    if ((negative && value !== 0) || value > max) return "Overflow";
  }
  return value;
}
