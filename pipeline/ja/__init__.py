"""Pure Japanese notation: numerals, eras and dates. No I/O, no pipeline state."""
